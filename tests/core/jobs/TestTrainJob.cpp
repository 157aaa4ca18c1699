#include <algorithm>

#include "jobs/AccuracyJob.h"
#include "jobs/TrainJob.h"
#include "models/ModelFile.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

/// The job API that both front ends call, end to end on the shapes set.
class TestTrainJob : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }

    TrainRequest smallRequest(const std::string& name) const {
        TrainRequest request;
        request.datasetSpec = "shapes:256:4";
        request.recipe.maxSteps = 24;
        request.recipe.batchSize = 32;
        request.threads = 2;
        request.device = "cpu";
        request.evalLimit = 200;
        request.outputPath = (dir() / name).string();
        return request;
    }

private Q_SLOTS:
    void trainsSavesLogsAndEvaluates() {
        auto request = smallRequest("adv.swm");
        request.recipe.adversarial.kind = "pgd";
        request.recipe.adversarial.epsilon = 0.1;
        request.recipe.adversarial.steps = 3;
        request.smoothing.push_back({"gaussian", "pool1", 3, std::nullopt});
        request.evalRobust = true;
        Feedback feedback;
        int reports = 0;
        TrainSummary summary;
        const auto result = runTrainJob(
            request, feedback, [&](const TrainProgress&) { ++reports; }, &summary);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        QVERIFY(reports > 0);
        QVERIFY(summary.robustAccuracy.has_value());
        QCOMPARE(summary.badge, std::string("adv pgd \u03B5=0.1 +gaussian@pool1"));

        auto model = loadModel(request.outputPath);
        const auto& description = model->description();
        QCOMPARE(description.metrics["test_accuracy"].get<double>(), summary.testAccuracy);
        QCOMPARE(description.metrics["train_steps"].get<int64_t>(), int64_t(24));
        QCOMPARE(description.training["adversarial"]["kind"].get<std::string>(), std::string("pgd"));
        QCOMPARE(description.training["precision"].get<std::string>(), std::string("fp32"));  // how it was trained
        QCOMPARE(description.dataset, std::string("shapes:256:4:train"));
        QVERIFY(!description.created.empty());

        std::ifstream log(request.outputPath + ".train.csv");
        std::string header;
        std::getline(log, header);
        QCOMPARE(header, std::string("step,epoch,loss,train_accuracy,examples_per_second,elapsed_seconds"));
        int rows = 0;
        for (std::string line; std::getline(log, line);) ++rows;
        QCOMPARE(rows, reports);

        AccuracyRequest eval;
        eval.modelPath = request.outputPath;
        eval.datasetSpec = "shapes:256:4:test";
        eval.limit = 200;
        eval.robust = true;
        eval.jsonPath = (dir() / "eval.json").string();
        AccuracySummary evalSummary;
        const auto evalResult = runAccuracyJob(eval, feedback, &evalSummary);
        QVERIFY2(evalResult.outcome == Outcome::Completed, evalResult.message.c_str());
        QCOMPARE(evalSummary.accuracy, summary.testAccuracy);  // same model, same test samples
        std::ifstream json(eval.jsonPath);
        const auto document = nlohmann::json::parse(json);
        QCOMPARE(document["summary"]["accuracy"].get<double>(), summary.testAccuracy);
        QVERIFY(document["summary"].contains("robust_accuracy"));
        QCOMPARE(document["n_total"].get<int64_t>(), int64_t(200));
    }
    void cancelReturnsCancelledWithResumeHint() {
        auto request = smallRequest("cancelled.swm");
        request.recipe.maxSteps = 100000;
        Feedback feedback;
        const auto result = runTrainJob(request, feedback, [&](const TrainProgress&) { feedback.cancel(); });
        QCOMPARE(int(result.outcome), int(Outcome::Cancelled));
        // The job's words fit every face (the CLI adds its --resume line, the Train tab has a Resume button).
        QVERIFY2(result.message.find("the checkpoint is kept (" + request.outputPath + ".ckpt)") != std::string::npos,
                 result.message.c_str());
        QVERIFY2(result.message.find("--resume") == std::string::npos, result.message.c_str());
        QVERIFY(!fs::exists(request.outputPath));  // no half-trained model file
        QVERIFY(fs::exists(request.outputPath + ".ckpt"));
        request.resumeFrom = request.outputPath + ".ckpt";
        request.recipe.maxSteps = 30;
        const auto loggedSteps = [&] {
            std::ifstream log(request.outputPath + ".train.csv");
            std::string line;
            std::getline(log, line);
            std::vector<int64_t> steps;
            while (std::getline(log, line)) steps.push_back(std::stoll(line.substr(0, line.find(','))));
            return steps;
        };
        const auto firstRun = loggedSteps();
        // A row past the checkpoint (as a run killed between a report and its next checkpoint leaves) is redone.
        std::ofstream(request.outputPath + ".train.csv", std::ios::app) << "29,0,9,0,0,0\n";
        Feedback again;
        const auto resumed = runTrainJob(request, again, {});
        QVERIFY2(resumed.outcome == Outcome::Completed, resumed.message.c_str());
        QCOMPARE(loadModel(request.outputPath)->description().metrics["train_steps"].get<int64_t>(), int64_t(30));
        // The loss log keeps the first run's history and continues it: each step once, in order.
        const auto steps = loggedSteps();
        QVERIFY(steps.size() > firstRun.size());
        QVERIFY(std::equal(firstRun.begin(), firstRun.end(), steps.begin()));
        QCOMPARE(steps.back(), int64_t(30));
        QVERIFY(std::is_sorted(steps.begin(), steps.end()) && std::adjacent_find(steps.begin(), steps.end()) == steps.end());
    }
    void badInputsFailWithMessagesAndNoFiles() {
        auto request = smallRequest("never.swm");
        request.datasetSpec = "fmnist:" + (dir() / "nowhere").string();
        Feedback feedback;
        auto result = runTrainJob(request, feedback, {});
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY(result.message.find("nowhere") != std::string::npos);
        QVERIFY(!fs::exists(request.outputPath));

        request = smallRequest("never.swm");
        request.smoothing.push_back({"gaussian", "conv7", 3, std::nullopt});
        result = runTrainJob(request, feedback, {});
        QVERIFY(result.message.find("conv7") != std::string::npos);

        request = smallRequest("never.swm");
        request.recipe.learningRate = 1e12;  // diverges
        request.recipe.maxSteps = 200;
        result = runTrainJob(request, feedback, {});
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY2(result.message.find("NaN") != std::string::npos || result.message.find("infinite") != std::string::npos,
                 result.message.c_str());
        QVERIFY(!fs::exists(request.outputPath));
    }
    void evalRefusesAModelThatDoesNotFitTheData() {
        auto request = smallRequest("fits.swm");
        Feedback feedback;
        QVERIFY(runTrainJob(request, feedback, {}).outcome == Outcome::Completed);
        const auto folder = dir() / "small-idx";
        fs::create_directories(folder);
        sw::test::writeBytes(folder / "t10k-images-idx3-ubyte", sw::test::makeIdxImages(4, 20, 20));
        sw::test::writeBytes(folder / "t10k-labels-idx1-ubyte", sw::test::makeIdxLabels(4));
        AccuracyRequest eval;
        eval.modelPath = request.outputPath;
        eval.datasetSpec = "mnist:" + folder.string();
        eval.jsonPath = (dir() / "never.json").string();
        const auto result = runAccuracyJob(eval, feedback);
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY2(result.message.find("expects 1x28x28") != std::string::npos && result.message.find("1x20x20") != std::string::npos,
                 result.message.c_str());
        QVERIFY(!fs::exists(eval.jsonPath));
    }
};

QTEST_APPLESS_MAIN(TestTrainJob)
#include "TestTrainJob.moc"
