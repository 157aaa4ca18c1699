#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "io/HeatmapImage.h"
#include "jobs/CompareSession.h"
#include "core/TinyShapesModel.h"
#include "metrics/Sparseness.h"
#include "models/ModelFile.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

/// The compare grid's job: every cell must equal what the explainer computes on its own.
class TestCompareSession : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    std::string m_model;
    const std::string m_spec = "shapes:64:9:test";
    fs::path dir() const { return m_folder.path().toStdString(); }

    CompareRequest request(std::vector<std::string> methods) const {
        CompareRequest compare;
        compare.models = {ModelReference{m_model, {}, {}}};
        for (const auto& method : methods) {
            SaliencyConfig config;
            config.method = method;
            config.igSteps = 16;
            config.sgSamples = 4;
            compare.methods.push_back(config);
        }
        compare.datasetSpec = m_spec;
        compare.index = 5;
        compare.device = "cpu";
        return compare;
    }

private Q_SLOTS:
    void initTestCase() {
        m_model = (dir() / "tiny.swm").string();
        const auto error = test::trainTinyShapesModel(m_model);
        QVERIFY2(error.empty(), error.c_str());
    }

    void cachesAreBoundedLeastRecentlyUsedFirst() {
        CompareSession session;
        Feedback feedback;
        // Ten copies of the model are ten cache entries (the cache is keyed by file).
        std::vector<std::string> copies;
        for (int i = 0; i < 10; ++i) {
            copies.push_back((dir() / ("copy" + std::to_string(i) + ".swm")).string());
            fs::copy_file(m_model, copies.back(), fs::copy_options::overwrite_existing);
        }
        for (const auto& copy : copies) {
            auto compare = request({"vg"});
            compare.models = {ModelReference{copy, {}, {}}};
            QVERIFY(session.compare(compare, feedback, {}, {}).outcome == Outcome::Completed);
        }
        QCOMPARE(session.cachedModelCount(), size_t(8));
        // One request with all ten keeps all ten (none in use is evicted), the next request trims again.
        auto all = request({"vg"});
        all.models.clear();
        for (const auto& copy : copies) all.models.push_back(ModelReference{copy, {}, {}});
        std::vector<CompareCell> cells;
        QVERIFY(session.compare(all, feedback, {}, [&](const CompareCell& cell) { cells.push_back(cell); }).outcome == Outcome::Completed);
        QCOMPARE(cells.size(), size_t(10));
        for (const auto& cell : cells) QVERIFY2(cell.error.empty(), cell.error.c_str());
        QCOMPARE(session.cachedModelCount(), size_t(10));
        for (const char* spec : {"shapes:16:1:test", "shapes:16:2:test", "shapes:16:3:test", "shapes:16:4:test"}) {
            auto compare = request({"vg"});
            compare.datasetSpec = spec;
            compare.index = 0;
            QVERIFY(session.compare(compare, feedback, {}, {}).outcome == Outcome::Completed);
        }
        QCOMPARE(session.cachedModelCount(), size_t(8));
        QCOMPARE(session.cachedDatasetCount(), size_t(3));
    }

    void cellsMatchTheExplainer() {
        CompareSession session;
        Feedback feedback;
        std::vector<CompareCell> cells;
        CompareImage shown;
        const auto compare = request({"vg", "ig"});
        const auto result = session.compare(
            compare, feedback, [&](const CompareImage& image) { shown = image; }, [&](const CompareCell& cell) { cells.push_back(cell); });
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        QCOMPARE(cells.size(), size_t(2));
        QCOMPARE(shown.pixels.size(), cv::Size(28, 28));

        auto model = loadModel(m_model);
        DatasetLoadOptions options;
        options.imageShape = model->description().inputShape;
        const auto data = loadDataset(DatasetSpec::parse(m_spec), options);
        const auto pixels = data.floatImages(torch::tensor({int64_t(5)}));
        QCOMPARE(shown.label, data.labels[5].item<int64_t>());
        for (const auto& cell : cells) {
            QVERIFY2(cell.error.empty(), cell.error.c_str());
            SaliencyExplainer explainer(*model, compare.methods[cell.methodIndex]);
            const auto attributions = explainer.attribute(pixels, explainer.resolveTargets(pixels, data.labels.slice(0, 5, 6)));
            const auto expected = heatmapToMat(heatmapOf(attributions)[0]);
            QVERIFY(cv::norm(cell.heatmap, expected, cv::NORM_INF) <= 1e-5 * (1.0 + cv::norm(expected, cv::NORM_INF)));
            QVERIFY(std::abs(cell.gini - giniIndex(attributions)[0].item<double>()) < 1e-9);
            torch::NoGradGuard noGrad;
            const auto probabilities = torch::softmax(model->logits(pixels), 1)[0];
            QCOMPARE(cell.prediction, probabilities.argmax().item<int64_t>());
            QVERIFY(std::abs(cell.confidence - probabilities.max().item<double>()) < 1e-6);
        }
        QCOMPARE(cells[0].methodIndex, size_t(0));  // the cheap column first
    }

    void aWrongInputShapeIsOneSentenceWithTheDetailsBehind() {
        // A one-channel TorchScript LeNet declared as taking colour images, as a user might in the dialog.
        auto compare = request({"vg"});
        const std::string lenet = std::string(SW_TEST_FIXTURES_DIR) + "/torchscript/traced_no_sidecar.pt";
        compare.models = {ModelReference{lenet, std::array<int64_t, 3>{3, 28, 28}, std::vector<std::string>(10, "class")}};
        CompareSession session;
        Feedback feedback;
        std::vector<CompareCell> cells;
        const auto result = session.compare(compare, feedback, {}, [&](const CompareCell& cell) { cells.push_back(cell); });
        const std::string error = result.outcome == Outcome::Failed ? result.message : (cells.empty() ? "" : cells.front().error);
        const std::string sentence = "the model expects 1 channel, the image has 3";
        QVERIFY2(error.rfind(sentence, 0) == 0, error.c_str());
        const auto details = error.find(kErrorDetailsMarker);
        QVERIFY2(details != std::string::npos && error.find("channels", details) != std::string::npos, error.c_str());
        QVERIFY2(error.find("Exception raised from") == std::string::npos, "a C++ backtrace reached the user");
    }

    void noiseIsOnePatternScaledBySigma() {
        CompareSession session;
        auto imageAt = [&](double sigma) {
            auto compare = request({"vg"});
            compare.noiseSigma = sigma;
            compare.noiseSeed = 11;
            Feedback feedback;
            cv::Mat pixels;
            session.compare(compare, feedback, [&](const CompareImage& image) { pixels = image.pixels; }, {});
            cv::Mat asFloat;
            pixels.convertTo(asFloat, CV_32F);
            return asFloat;
        };
        const auto clean = imageAt(0.0), small = imageAt(0.02), again = imageAt(0.02), large = imageAt(0.2);
        QCOMPARE(cv::norm(small, again, cv::NORM_INF), 0.0);  // same seed, same image
        QVERIFY(cv::norm(clean, small) > 0.0);
        QVERIFY(cv::norm(clean, large) > 4.0 * cv::norm(clean, small));
    }

    void unreadableModelGivesErrorCellsOthersStillWork() {
        const auto broken = dir() / "broken.swm";
        test::writeBytes(broken, {1, 2, 3, 4});
        auto compare = request({"vg"});
        compare.models.push_back(ModelReference{broken.string(), {}, {}});
        CompareSession session;
        Feedback feedback;
        std::vector<CompareCell> cells;
        const auto result = session.compare(compare, feedback, {}, [&](const CompareCell& cell) { cells.push_back(cell); });
        QVERIFY(result.outcome == Outcome::Completed);
        QCOMPARE(cells.size(), size_t(2));
        QVERIFY(cells[0].error.empty());
        QVERIFY(cells[1].heatmap.empty());
        QVERIFY2(cells[1].error.find("broken.swm") != std::string::npos, cells[1].error.c_str());
    }

    void badIndexAndMissingImageFailWithAMessage() {
        CompareSession session;
        Feedback feedback;
        auto compare = request({"vg"});
        compare.index = 64;
        auto result = session.compare(compare, feedback, {}, {});
        QVERIFY(result.outcome == Outcome::Failed);
        QVERIFY2(result.message.find("no sample 64") != std::string::npos, result.message.c_str());
        compare.index = 0;
        compare.imageFile = (dir() / "missing.png").string();
        result = session.compare(compare, feedback, {}, {});
        QVERIFY(result.outcome == Outcome::Failed);
        QVERIFY2(result.message.find("missing.png") != std::string::npos, result.message.c_str());
    }

    void cancelStopsBeforeTheNextCell() {
        CompareSession session;
        Feedback feedback;
        int cells = 0;
        const auto result = session.compare(request({"vg", "ig", "sg"}), feedback, {}, [&](const CompareCell&) {
            ++cells;
            feedback.cancel();
        });
        QVERIFY(result.outcome == Outcome::Cancelled);
        QCOMPARE(cells, 1);
    }

    void modelFileChangesAreNoticed() {
        // The GUI retrains into the same file name only after a rename, but a user may overwrite a file.
        CompareSession session;
        Feedback feedback;
        const auto copy = dir() / "copy.swm";
        fs::copy_file(m_model, copy, fs::copy_options::overwrite_existing);
        auto compare = request({"vg"});
        compare.models = {ModelReference{copy.string(), {}, {}}};
        CompareCell first;
        session.compare(compare, feedback, {}, [&](const CompareCell& cell) { first = cell; });
        QVERIFY(first.error.empty());
        test::writeBytes(copy, {9, 9, 9});
        fs::last_write_time(copy, fs::last_write_time(copy) + std::chrono::seconds(5));
        // The only model is now unreadable, so the comparison fails, naming the file, instead of
        // serving the cached copy.
        const auto result = session.compare(compare, feedback, {}, {});
        QVERIFY(result.outcome == Outcome::Failed);
        QVERIFY2(result.message.find("copy.swm") != std::string::npos, result.message.c_str());
    }

    void overviewListsEverySampleAndPredictions() {
        CompareSession session;
        Feedback feedback;
        DatasetOverview overview;
        const auto result = session.overview(m_spec, ModelReference{m_model, {}, {}}, "cpu", feedback, &overview);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        QCOMPARE(overview.labels.size(), size_t(64));
        QCOMPARE(overview.thumbnails.size(), size_t(64));
        QCOMPARE(overview.predictions.size(), size_t(64));
        auto model = loadModel(m_model);
        const auto data = loadDataset(DatasetSpec::parse(m_spec));
        torch::NoGradGuard noGrad;
        const auto predictions = model->logits(data.floatImages(torch::arange(64))).argmax(1);
        for (int64_t i = 0; i < 64; ++i) QCOMPARE(overview.predictions[size_t(i)], predictions[i].item<int64_t>());
        QCOMPARE(overview.labels[7], data.labels[7].item<int64_t>());
    }
};

QTEST_APPLESS_MAIN(TestCompareSession)
#include "TestCompareSession.moc"
