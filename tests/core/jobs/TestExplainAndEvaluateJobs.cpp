#include <algorithm>
#include <opencv2/imgcodecs.hpp>

#include "io/NpyFile.h"
#include "jobs/CurvesJob.h"
#include "jobs/SaliencyEvaluationJob.h"
#include "jobs/ExplainJob.h"
#include "jobs/TrainJob.h"
#include "models/ModelFile.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

/// The explanation and evaluation jobs end to end, on a LeNet trained briefly on the shapes set.
class TestExplainAndEvaluateJobs : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    std::string m_model;
    fs::path dir() const { return m_folder.path().toStdString(); }

    static int fileCount(const fs::path& folder) {
        if (!fs::exists(folder)) return 0;
        return int(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
    }

private Q_SLOTS:
    void initTestCase() {
        TrainRequest request;
        request.datasetSpec = "shapes:1000:5";
        request.recipe.epochs = 4;
        request.threads = 2;
        request.device = "cpu";
        request.evalLimit = 200;
        request.outputPath = (dir() / "shapes.swm").string();
        Feedback feedback;
        const auto result = runTrainJob(request, feedback, {});
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        m_model = request.outputPath;
    }
    void explainWritesNpyCsvAndPngs() {
        ExplainRequest request;
        request.modelPath = m_model;
        request.datasetSpec = "shapes:100:5:test";
        request.indices = "0-4,9";
        request.saliency.method = "ig";
        request.saliency.igSteps = 8;
        request.writePng = true;
        request.pngSize = 140;
        request.outputDir = (dir() / "explained").string();
        Feedback feedback;
        const auto result = runExplainJob(request, feedback);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        const auto heatmaps = readNpy(dir() / "explained" / "heatmaps.npy");
        const auto attributions = readNpy(dir() / "explained" / "attributions.npy");
        QCOMPARE(heatmaps.sizes().vec(), (std::vector<int64_t>{6, 28, 28}));
        QCOMPARE(attributions.sizes().vec(), (std::vector<int64_t>{6, 1, 28, 28}));
        QVERIFY(torch::allclose(heatmaps, attributions.sum(1)));
        std::ifstream csv(dir() / "explained" / "index.csv");
        std::string header, first, line;
        std::getline(csv, header);
        std::getline(csv, first);
        QCOMPARE(header, std::string("index,source,label,prediction,confidence,target,label_name,prediction_name"));
        QVERIFY(first.rfind("0,shapes:100:5:test,", 0) == 0);
        // The last two fields name the label's and the prediction's classes.
        const auto classes = loadModel(m_model)->description().classes;
        std::vector<std::string> fields;
        for (size_t start = 0, comma = 0; comma != std::string::npos; start = comma + 1) {
            comma = first.find(',', start);
            fields.push_back(first.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        }
        QCOMPARE(fields.size(), size_t(8));
        QCOMPARE(fields[6], classes.at(std::stoul(fields[2])));
        QCOMPARE(fields[7], classes.at(std::stoul(fields[3])));
        while (std::getline(csv, line)) first = line;
        QVERIFY(first.rfind("9,", 0) == 0);
        const auto overlay = cv::imread((dir() / "explained" / "overlay_9.png").string());
        QVERIFY(!overlay.empty());
        QCOMPARE(overlay.rows, 140);  // --png-size 140: 28 pixels × 5, the smallest whole multiple ≥ 140
        QCOMPARE(fileCount(dir() / "explained"), 4 + 6);
        // How the maps were computed travels with them.
        std::ifstream provenanceFile(dir() / "explained" / "explanation.json");
        const auto provenance = nlohmann::json::parse(provenanceFile);
        QCOMPARE(provenance["precision"].get<std::string>(), std::string("fp32"));
        QCOMPARE(provenance["device"].get<std::string>(), std::string("cpu"));
        QCOMPARE(provenance["method"]["method"].get<std::string>(), std::string("ig"));
    }
    void explainImageFiles() {
        const auto image = dir() / "photo.png";
        cv::imwrite(image.string(), cv::Mat(40, 40, CV_8UC3, cv::Scalar(30, 200, 90)));
        ExplainRequest request;
        request.modelPath = m_model;
        request.imageFiles = {image.string()};
        request.outputDir = (dir() / "from-file").string();
        Feedback feedback;
        const auto result = runExplainJob(request, feedback);
        QVERIFY(result.outcome == Outcome::Completed);
        QCOMPARE(readNpy(dir() / "from-file" / "heatmaps.npy").size(0), int64_t(1));
        // A 40×40 colour photo for a 28×28 greyscale model: the user is told, in one line.
        QVERIFY2(result.message.find("note: photo.png: 40×40 colour image → 28×28 greyscale, resized and centre-cropped\n") == 0,
                 result.message.c_str());
        request.saliency.target = "label";
        request.outputDir = (dir() / "no-label").string();
        const auto refused = runExplainJob(request, feedback);
        QCOMPARE(int(refused.outcome), int(Outcome::Failed));
        QVERIFY(refused.message.find("no label") != std::string::npos);
        QCOMPARE(fileCount(dir() / "no-label"), 0);
    }
    void explainRejectsBadInputsWithoutWriting() {
        Feedback feedback;
        const auto expectFailure = [&](ExplainRequest request, const std::string& fragment) {
            request.outputDir = (dir() / "never").string();
            const auto result = runExplainJob(request, feedback);
            QCOMPARE(int(result.outcome), int(Outcome::Failed));
            QVERIFY2(result.message.find(fragment) != std::string::npos, result.message.c_str());
            QCOMPARE(fileCount(dir() / "never"), 0);
        };
        ExplainRequest request;
        request.modelPath = m_model;
        request.datasetSpec = "shapes:100:5";
        request.indices = "5-2";
        expectFailure(request, "empty index range");
        request.indices = "99-100";
        expectFailure(request, "beyond the last sample");
        request.indices = "0";
        request.datasetSpec = "";
        const auto broken = dir() / "broken.png";
        std::ofstream(broken) << "not an image";
        request.imageFiles = {broken.string()};
        expectFailure(request, "broken.png");
        request.imageFiles.clear();
        request.datasetSpec = "shapes:10";
        request.saliency.method = "lime";
        expectFailure(request, "--method lime");
        // Options that only matter for the PNGs are checked before anything is computed or written.
        request.saliency.method = "vg";
        request.indices = "0-3";
        request.writePng = true;
        request.colormap = "rainbow";
        expectFailure(request, "--colormap rainbow");
        QVERIFY(!fs::exists(dir() / "never"));
        request.colormap = "inferno";
        request.clipPercentile = 0.0;
        expectFailure(request, "--clip-percentile");
    }
    void explainReplacesItsOwnFilesAndKeepsOthers() {
        ExplainRequest request;
        request.modelPath = m_model;
        request.datasetSpec = "shapes:100:5";
        request.indices = "0-3";
        request.outputDir = (dir() / "again").string();
        Feedback feedback;
        QVERIFY(runExplainJob(request, feedback).outcome == Outcome::Completed);
        std::ofstream(dir() / "again" / "notes.txt") << "mine";
        request.indices = "0-1";
        QVERIFY(runExplainJob(request, feedback).outcome == Outcome::Completed);
        QVERIFY(fs::exists(dir() / "again" / "notes.txt"));
        QCOMPARE(readNpy(dir() / "again" / "heatmaps.npy").size(0), int64_t(2));  // replaced by the second run
        for (const auto& entry : fs::directory_iterator(dir())) {
            QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos, entry.path().c_str());
        }
    }
    void evaluateWritesTheDesignJson() {
        SaliencyEvaluationRequest request;
        request.modelPath = m_model;
        request.datasetSpec = "shapes:120:5:test";
        request.limit = 120;
        request.protocol.metrics = {"accuracy", "sparseness", "ris", "ros", "ssim", "topk", "road", "curvature", "localisation"};
        request.protocol.noiseLevels = {0.01, 0.1};
        request.protocol.stabilitySamples = 3;
        request.jsonPath = (dir() / "evaluation.json").string();
        request.protocol.batchSize = 50;
        Feedback feedback;
        std::string text;
        const auto result = runSaliencyEvaluationJob(request, feedback, &text);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        std::ifstream in(request.jsonPath);
        const auto document = nlohmann::json::parse(in);
        QCOMPARE(document.dump(), nlohmann::json::parse(text).dump());
        const auto total = document["n_total"].get<int64_t>(), scored = document["n_scored"].get<int64_t>();
        QCOMPARE(total, int64_t(120));
        QVERIFY(scored > 60 && scored <= total);
        QCOMPARE(int64_t(document["per_sample"].size()), scored);
        const auto& summary = document["summary"];
        QVERIFY(std::abs(summary["accuracy"].get<double>() - double(scored) / double(total)) < 1e-12);
        QVERIFY(summary["sparseness"]["mean"].get<double>() > 0.0 && summary["sparseness"]["mean"].get<double>() < 1.0);
        QVERIFY(summary["ris"].contains("nan_count") && summary["ros"].contains("log10_mean"));
        QCOMPARE(summary["ssim"]["sigma"].size(), size_t(2));
        QVERIFY(summary["ssim"]["mean"][0].get<double>() > summary["ssim"]["mean"][1].get<double>() - 0.05);
        QVERIFY(summary["ssim"]["n"][0].get<int64_t>() <= scored);
        QVERIFY(summary["road"]["morf"]["aopc"].get<double>() > summary["road"]["lerf"]["aopc"].get<double>());
        QVERIFY(summary["energy_in_mask"]["mean"].get<double>() > 0.0);
        QCOMPARE(document["method"]["method"].get<std::string>(), std::string("vg"));
        QCOMPARE(document["precision"].get<std::string>(), std::string("fp32"));
        QCOMPARE(document["device"].get<std::string>(), std::string("cpu"));
        // The request's precision is what the JSON records (TF32 changes nothing on a CPU, but the record says
        // what was asked for, so a map can be traced).
        request.precision = Precision::TF32;
        std::string opted;
        runSaliencyEvaluationJob(request, feedback, &opted);
        QCOMPARE(nlohmann::json::parse(opted)["precision"].get<std::string>(), std::string("tf32"));
        request.precision = Precision::Float32;
        // Same seed, same numbers.
        std::string again;
        request.jsonPath.clear();
        runSaliencyEvaluationJob(request, feedback, &again);
        QCOMPARE(nlohmann::json::parse(again)["summary"].dump(), summary.dump());
    }
    void evaluateProgressRunsOnceAndRoadCanBeCancelled() {
        SaliencyEvaluationRequest request;
        request.modelPath = m_model;
        request.datasetSpec = "shapes:60:5:test";
        request.limit = 60;
        request.protocol.metrics = {"accuracy", "sparseness", "ssim", "road", "robust_accuracy"};
        request.protocol.noiseLevels = {0.05};
        request.protocol.batchSize = 20;
        std::vector<double> fractions;
        Feedback feedback([&](double fraction, const std::string&) { fractions.push_back(fraction); });
        QVERIFY(runSaliencyEvaluationJob(request, feedback).outcome == Outcome::Completed);
        QVERIFY(fractions.size() > 8);
        QVERIFY2(std::is_sorted(fractions.begin(), fractions.end()), "progress went back");
        QCOMPARE(fractions.back(), 1.0);

        // Cancel while ROAD runs: the job stops there (ROAD polls the feedback at every level).
        bool sawRoad = false;
        Feedback cancelling([&](double, const std::string& message) {
            if (message.find("ROAD") != std::string::npos) {
                sawRoad = true;
                cancelling.cancel();
            }
        });
        request.protocol.metrics = {"accuracy", "road"};
        const auto result = runSaliencyEvaluationJob(request, cancelling);
        QVERIFY(sawRoad);
        QCOMPARE(int(result.outcome), int(Outcome::Cancelled));
    }
    void evaluateRejectsUnknownMetricsAndMasklessLocalisation() {
        SaliencyEvaluationRequest request;
        request.modelPath = m_model;
        request.datasetSpec = "shapes:20";
        request.protocol.metrics = {"accuracy", "faithfulness"};
        request.jsonPath = (dir() / "never.json").string();
        Feedback feedback;
        auto result = runSaliencyEvaluationJob(request, feedback);
        QVERIFY(result.message.find("--metrics faithfulness") != std::string::npos);
        QVERIFY(!fs::exists(request.jsonPath));
        request.protocol.metrics = {"accuracy", "localisation"};
        request.datasetSpec = "fmnist:" + (dir() / "nowhere").string();
        result = runSaliencyEvaluationJob(request, feedback);
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        request.datasetSpec = "shapes:20";
        request.protocol.batchSize = 0;
        result = runSaliencyEvaluationJob(request, feedback);
        QVERIFY2(result.message.find("--batch-size 0") != std::string::npos, result.message.c_str());
        request.protocol.batchSize = 10;
        request.protocol.stabilitySamples = 0;
        request.protocol.metrics = {"ris"};
        result = runSaliencyEvaluationJob(request, feedback);
        QVERIFY2(result.message.find("--samples 0") != std::string::npos, result.message.c_str());
        QVERIFY(!fs::exists(request.jsonPath));
    }
    void curvesWriteATidyCsvAndReportEachPoint() {
        CurvesRequest request;
        request.modelPaths = {m_model, m_model};
        request.datasetSpec = "shapes:60:5:test";
        request.limit = 60;
        request.measures = {"ssim", "spearman"};
        request.noiseLevels = {0.02, 0.2};
        request.csvPath = (dir() / "curves.csv").string();
        Feedback feedback;
        int rows = 0;
        const auto result = runCurvesJob(request, feedback, [&](const CurveRow&) { ++rows; });
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        QCOMPARE(rows, 2 * 2 * 2);
        std::ifstream csv(request.csvPath);
        std::string header;
        std::getline(csv, header);
        QCOMPARE(header, std::string("model,method,measure,sigma,mean,ci_low,ci_high,n"));
        int lines = 0;
        for (std::string line; std::getline(csv, line);) ++lines;
        QCOMPARE(lines, rows);
    }
};

QTEST_APPLESS_MAIN(TestExplainAndEvaluateJobs)
#include "TestExplainAndEvaluateJobs.moc"
