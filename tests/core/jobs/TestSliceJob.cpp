#include "io/HeatmapImage.h"
#include "io/NpyFile.h"
#include "jobs/CompareSession.h"
#include "jobs/SliceJob.h"
#include "core/TinyShapesModel.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

/// The slice job: at t = 0 it says what the compare grid says, its files are what it delivered, and a request that
/// names no slice is refused before any work, writing nothing.
class TestSliceJob : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    std::string m_model;
    const std::string m_spec = "shapes:64:9:test";
    fs::path dir() const { return m_folder.path().toStdString(); }

    SliceRequest request(const std::string& direction) const {
        SliceRequest slice;
        slice.models = {ModelReference{m_model, {}, {}}};
        slice.datasetSpec = m_spec;
        slice.index = 5;
        slice.direction = direction;
        slice.slice.points = 11;
        slice.saliency.method = "vg";
        slice.device = "cpu";
        slice.threads = 2;
        return slice;
    }

    /// The job's message when it fails, empty when it completes.
    static QString failure(const SliceRequest& slice) {
        Feedback feedback;
        const auto result = runSliceJob(slice, feedback);
        return result.outcome == Outcome::Completed ? QString() : QString::fromStdString(result.message);
    }

private Q_SLOTS:
    void initTestCase() {
        m_model = (dir() / "tiny.swm").string();
        const auto error = test::trainTinyShapesModel(m_model);
        QVERIFY2(error.empty(), error.c_str());
    }

    void atTheImageItSaysWhatTheCompareGridSays() {
        for (const std::string direction : {"random", "gradient", "pgd", "image:6"}) {
            std::vector<ModelSlice> slices;
            Feedback feedback;
            const auto result = runSliceJob(request(direction), feedback, [&](const ModelSlice& slice) { slices.push_back(slice); });
            QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
            QCOMPARE(slices.size(), size_t(1));
            const auto& slice = slices.front();

            CompareRequest compare;
            compare.models = {ModelReference{m_model, {}, {}}};
            SaliencyConfig vg;
            vg.method = "vg";
            compare.methods = {vg};
            compare.datasetSpec = m_spec;
            compare.index = 5;
            compare.device = "cpu";
            std::vector<CompareCell> cells;
            CompareSession session;
            QVERIFY(session.compare(compare, feedback, {}, [&](const CompareCell& cell) { cells.push_back(cell); }).outcome ==
                    Outcome::Completed);
            QCOMPARE(cells.size(), size_t(1));
            const size_t centre = slice.centre();
            QCOMPARE(slice.steps[centre], 0.0);
            QCOMPARE(slice.explainedClass, cells[0].prediction);
            QCOMPARE(slice.predictions[centre], cells[0].prediction);
            QVERIFY2(std::abs(slice.probability[centre] - cells[0].confidence) < 1e-6, direction.c_str());
            QCOMPARE(int64_t(slice.maps.size()), int64_t(slice.steps.size()) * slice.mapHeight * slice.mapWidth);
            const cv::Mat map(int(slice.mapHeight), int(slice.mapWidth), CV_32F,
                              const_cast<float*>(slice.maps.data() + centre * size_t(slice.mapHeight * slice.mapWidth)));
            QVERIFY2(cv::norm(cells[0].heatmap, map, cv::NORM_INF) <= 1e-6 * (1.0 + cv::norm(map, cv::NORM_INF)), direction.c_str());
            // |VG| summed over the one channel: its L2 norm is the gradient norm at t = 0.
            QVERIFY(std::abs(slice.gradientNorm[centre] - cv::norm(cells[0].heatmap, cv::NORM_L2)) <
                    1e-5 * (1.0 + slice.gradientNorm[centre]));
            QCOMPARE(slice.ssim[centre], 1.0);
            QVERIFY(std::isfinite(slices.front().geometry.localCurvature) && slices.front().geometry.hessianNorm.has_value());
        }
    }

    void itsFilesAreWhatItDelivered() {
        auto slice = request("gradient");
        slice.outputDir = (dir() / "written").string();
        std::vector<ModelSlice> slices;
        Feedback feedback;
        const auto result = runSliceJob(slice, feedback, [&](const ModelSlice& entry) { slices.push_back(entry); });
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        const auto maps = readNpy(dir() / "written" / "maps-tiny.npy").contiguous();
        QCOMPARE(maps.sizes().vec(), std::vector<int64_t>({11, slices.front().mapHeight, slices.front().mapWidth}));
        QVERIFY(std::equal(slices.front().maps.begin(), slices.front().maps.end(), maps.data_ptr<float>()));
        std::ifstream csv(dir() / "written" / "slice.csv");
        std::string header, line;
        std::getline(csv, header);
        QCOMPARE(
            QString::fromStdString(header),
            QString("model,t,prediction,explained_class,probability,explained_logit,margin,logit_curvature,gradient_norm,ssim,cosine"));
        int rows = 0;
        while (std::getline(csv, line)) ++rows;
        QCOMPARE(rows, 11);
        const auto geometry = nlohmann::json::parse(std::ifstream(dir() / "written" / "geometry.json"));
        QCOMPARE(geometry.at("direction").get<std::string>(), std::string("gradient"));
        QVERIFY(std::abs(geometry.at("geometry")[0].at("ris").get<double>() - slices.front().geometry.ris) < 1e-12);
    }

    void refusesBeforeAnyWorkAndWritesNothing() {
        const auto out = (dir() / "never").string();
        auto withOut = [&](SliceRequest slice) {
            slice.outputDir = out;
            return slice;
        };
        auto zeroRadius = withOut(request("random"));
        zeroRadius.slice.radius = 0.0;
        QVERIFY(failure(zeroRadius).contains("--radius"));
        auto evenPoints = withOut(request("random"));
        evenPoints.slice.points = 10;
        QVERIFY(failure(evenPoints).contains("--points 10"));
        QVERIFY2(failure(withOut(request("sideways"))).contains("--direction sideways: expected random, gradient, pgd or image:N"),
                 qPrintable(failure(withOut(request("sideways")))));
        QVERIFY(failure(withOut(request("image:5"))).contains("the direction is zero"));  // toward itself
        auto outOfRange = withOut(request("random"));
        outOfRange.index = 64;
        QVERIFY2(failure(outOfRange).contains("64"), qPrintable(failure(outOfRange)));
        auto unknownMethod = withOut(request("random"));
        unknownMethod.saliency.method = "magic";
        QVERIFY(failure(unknownMethod).contains("magic"));
        auto twins = withOut(request("random"));
        twins.models = {ModelReference{m_model, {}, {}}, ModelReference{m_model, {}, {}}};
        QVERIFY(failure(twins).contains("two models are named tiny"));
        QVERIFY(!fs::exists(out));
    }
};

QTEST_APPLESS_MAIN(TestSliceJob)
#include "TestSliceJob.moc"
