#include <cmath>
#include <fstream>

#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "io/NpyFile.h"
#include "jobs/TimelineExportJob.h"
#include "jobs/TimelineRun.h"
#include "jobs/TrainJob.h"
#include "models/ModelFile.h"
#include "models/NativeClassifier.h"
#include "timeline/TimelineFolder.h"
#include "timeline/TimelineFollower.h"
#include "train/Evaluation.h"
#include "util/InputError.h"
#include "TestSupport.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

namespace fs = std::filesystem;
using namespace sw;

/// The saliency timeline: when it records, that a snapshot is what its model's maps are, that a resumed run
/// continues it, that bad input writes nothing, and what the export writes.
class TestTimeline : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }

    static TrainRequest recordingRun(const fs::path& model, int64_t maxSteps) {
        TrainRequest train;
        train.datasetSpec = "shapes:256:4";
        train.recipe.maxSteps = maxSteps;
        train.recipe.batchSize = 16;
        train.threads = 2;
        train.device = "cpu";
        train.evalLimit = 32;
        train.outputPath = model.string();
        train.timeline.enabled = true;
        train.timeline.probeIndices = {0, 1, 2, 3, 4, 5};
        train.timeline.everySteps = 5;
        train.timeline.heldOutCount = 40;
        return train;
    }

    static QString failure(const TrainRequest& train) {
        Feedback feedback;
        const auto result = runTrainJob(train, feedback, {});
        return result.outcome == Outcome::Completed ? QString() : QString::fromStdString(result.message);
    }

    /// Quantus' Gini, written out here from its definition (not metrics/Sparseness.h's code).
    static double gini(const torch::Tensor& attribution) {
        auto a = attribution.abs().flatten().to(torch::kFloat64);
        a = a / a.max();
        a = std::get<0>((a + 1e-7).sort());
        const int64_t n = a.numel();
        double weighted = 0.0;
        for (int64_t i = 0; i < n; ++i) weighted += double(2 * (i + 1) - n - 1) * a[i].item<double>();
        return weighted / (double(n) * a.sum().item<double>());
    }

    /// Checks the snapshot at `step` against the maps, Gini and held-out accuracy computed now from `modelFile`.
    void checkSnapshotAgainstModel(const TimelineFolder& folder, int64_t step, const fs::path& modelFile) {
        const auto index = folder.readIndex();
        const auto at = index.snapshotAtOrBefore(step);
        QVERIFY(at >= 0);
        const auto& snapshot = index.snapshots[size_t(at)];
        QCOMPARE(snapshot.step, step);
        NativeClassifier model(loadNativeNetwork(modelFile));
        model.setTrainingMode(false);
        const auto probes = readNpy(folder.probesFile());
        const auto labels = torch::tensor(index.probeLabels, torch::kInt64);
        const auto logits = model.logits(probes).detach();
        QCOMPARE(logits.argmax(1).eq(torch::tensor(snapshot.predictions, torch::kInt64)).all().item<bool>(), true);
        for (const auto& config : index.options.methodConfigs()) {
            SaliencyExplainer explainer(model, config);
            const auto attributions = explainer.attribute(probes, labels);
            const auto recorded = readNpy(folder.mapsFile(step, config.method));
            const double difference = (recorded - heatmapOf(attributions, config.heatmapReduction)).abs().max().item<double>();
            QVERIFY2(difference < 1e-5, (config.method + ": maps differ by " + std::to_string(difference)).c_str());
            double meanGini = 0.0;
            for (int64_t i = 0; i < attributions.size(0); ++i) meanGini += gini(attributions[i]) / double(attributions.size(0));
            QVERIFY2(std::abs(meanGini - snapshot.measures.at(config.method).gini) < 1e-6, config.method.c_str());
        }
        DatasetLoadOptions load;
        const auto test = loadDataset(DatasetSpec::parse(index.dataset), load);
        AccuracyOptions accuracy;
        accuracy.limit = index.options.heldOutCount;
        QCOMPARE(snapshot.heldOutAccuracy, evaluateAccuracy(model, test, accuracy).accuracy);
    }

private Q_SLOTS:
    void theDefaultScheduleIsLogSpacedWithEveryEpochEnd() {
        TimelineOptions options;
        const auto steps = timelineSchedule(options, 1000, 300);
        std::set<int64_t> expected{0, 300, 600, 900, 1000};
        for (int k = 0; k < 24; ++k) expected.insert(std::max<int64_t>(1, std::llround(std::pow(1000.0, k / 23.0))));
        QCOMPARE(std::set<int64_t>(steps.begin(), steps.end()), expected);
        QVERIFY(std::is_sorted(steps.begin(), steps.end()));
        QVERIFY(steps.size() >= 20 && steps.size() <= 30);

        options.everySteps = 250;
        const auto every = timelineSchedule(options, 1000, 400);
        QCOMPARE(every, (std::vector<int64_t>{0, 250, 400, 500, 750, 800, 1000}));
    }

    void eachSnapshotKeepsWhatItCostTheRun() {
        const auto model = dir() / "timed.swm";
        Feedback feedback;
        TrainSummary summary;
        const auto result = runTrainJob(recordingRun(model, 10), feedback, {}, &summary);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        const auto folder = TimelineFolder::besideModel(model);
        const auto index = folder.readIndex();
        double recording = 0.0;
        for (const auto& snapshot : index.snapshots) {
            QVERIFY2(std::isfinite(snapshot.costSeconds) && snapshot.costSeconds > 0.0, std::to_string(snapshot.costSeconds).c_str());
            recording += snapshot.costSeconds;
        }
        // Recording happens inside the training loop, so its time is part of the run's training time.
        const double trainSeconds = loadNativeNetwork(model)->description().metrics.at("train_seconds").get<double>();
        QCOMPARE(index.recordingCostSeconds(), recording);
        QVERIFY2(recording < trainSeconds, (std::to_string(recording) + " s of " + std::to_string(trainSeconds) + " s").c_str());
        // The run's summary says so too (the CLI prints it).
        QCOMPARE(summary.timelineSnapshots, int64_t(index.snapshots.size()));
        QCOMPARE(summary.recordingSeconds, recording);  // a fresh run: every snapshot is this run's
        QCOMPARE(summary.seconds, trainSeconds);

        // A cost that is no number is named as damage in the index, not read.
        const auto written = nlohmann::json::parse(std::ifstream(folder.indexFile()));
        auto json = written;
        json.at("snapshots").at(1)["cost_seconds"] = "slow";
        std::ofstream(folder.indexFile()) << json.dump();
        try {
            folder.readIndex();
            QFAIL("a cost that is no number was read");
        } catch (const InputError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("timeline.json") != std::string::npos && message.find("damaged") != std::string::npos, error.what());
        }

        // A timeline from before costs were kept still reads; its recording cost is unknown, not understated.
        json = written;
        json.at("snapshots").at(1).erase("cost_seconds");
        std::ofstream(folder.indexFile()) << json.dump();
        const auto older = folder.readIndex();
        QVERIFY(std::isnan(older.snapshots.at(1).costSeconds));
        QVERIFY(std::isfinite(older.snapshots.at(0).costSeconds));
        QVERIFY(std::isnan(older.recordingCostSeconds()));
    }

    void aSnapshotIsItsStepsModelAndAResumeContinuesTheTimeline() {
        const auto model = dir() / "run.swm";
        auto first = recordingRun(model, 10);
        QCOMPARE(failure(first), QString());
        const auto folder = TimelineFolder::besideModel(model);
        QCOMPARE(folder.root(), dir() / "run.timeline");
        auto index = folder.readIndex();
        std::vector<int64_t> steps;
        for (const auto& snapshot : index.snapshots) steps.push_back(snapshot.step);
        QCOMPARE(steps, (std::vector<int64_t>{0, 5, 10}));
        QCOMPARE(index.probeIndices, first.timeline.probeIndices);
        checkSnapshotAgainstModel(folder, 10, model);  // the model file is the network after step 10
        const auto step5Maps = readNpy(folder.mapsFile(5, "ig"));

        // A snapshot beyond the checkpoint (as a run killed after it would leave) is dropped and redone.
        auto stray = index.snapshots.back();
        stray.step = 12;
        index.snapshots.push_back(stray);
        folder.writeIndex(index);

        auto resumed = recordingRun(model, 20);
        resumed.resumeFrom = model.string() + ".ckpt";
        resumed.timeline.everySteps = 3;  // ignored: a timeline keeps what it started with
        QCOMPARE(failure(resumed), QString());
        index = folder.readIndex();
        steps.clear();
        for (const auto& snapshot : index.snapshots) steps.push_back(snapshot.step);
        QCOMPARE(steps, (std::vector<int64_t>{0, 5, 10, 15, 16, 20}));  // 16: the first epoch's end (256 images / 16)
        QCOMPARE(index.options.everySteps, int64_t(5));
        QVERIFY(readNpy(folder.mapsFile(5, "ig")).equal(step5Maps));
        checkSnapshotAgainstModel(folder, 20, model);
    }

    void recordingChangesNothingInTheTraining() {
        auto with = recordingRun(dir() / "with.swm", 12);
        auto without = recordingRun(dir() / "without.swm", 12);
        without.timeline.enabled = false;
        QCOMPARE(failure(with), QString());
        QCOMPARE(failure(without), QString());
        QVERIFY(!fs::exists(dir() / "without.timeline"));
        const auto a = loadNativeNetwork(dir() / "with.swm")->parameters();
        const auto b = loadNativeNetwork(dir() / "without.swm")->parameters();
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) QVERIFY(a[i].equal(b[i]));
    }

    void badOptionsAreRefusedBeforeAnythingIsWritten() {
        auto outOfRange = recordingRun(dir() / "bad.swm", 4);
        outOfRange.timeline.probeIndices = {1, 100000};
        QVERIFY(failure(outOfRange).contains("--timeline-probes 100000"));
        QVERIFY(failure(outOfRange).contains("out of range"));
        auto unknown = recordingRun(dir() / "bad.swm", 4);
        unknown.timeline.methods = {"vg", "nosuch"};
        QVERIFY(failure(unknown).contains("nosuch is no method"));
        auto twice = recordingRun(dir() / "bad.swm", 4);
        twice.timeline.methods = {"vg", "vg"};
        QVERIFY(failure(twice).contains("listed twice"));
        auto oneSnapshot = recordingRun(dir() / "bad.swm", 4);
        oneSnapshot.timeline.snapshots = 1;
        QVERIFY(failure(oneSnapshot).contains("--timeline-snapshots 1"));
        auto noNoise = recordingRun(dir() / "bad.swm", 4);
        noNoise.timeline.noiseSigma = 0.0;
        QVERIFY(failure(noNoise).contains("--timeline-noise"));
        QVERIFY(!fs::exists(dir() / "bad.swm"));
        QVERIFY(!fs::exists(dir() / "bad.timeline"));
    }

    /// What a data-parallel run's live view gets: rank 0's folder, read back as the recorder's own observer had it.
    void aFollowerHandsOverWhatTheRecorderWrote() {
        const auto model = dir() / "followed.swm";
        const auto folder = TimelineFolder::besideModel(model);
        std::vector<TimelineUpdate> followed;
        TimelineFollower follower(folder, [&](const TimelineUpdate& update) { followed.push_back(update); });
        follower.poll();
        QVERIFY(followed.empty());  // nothing recorded yet

        std::vector<TimelineUpdate> recorded;
        Feedback feedback;
        const auto result =
            runTrainJob(recordingRun(model, 10), feedback, {}, nullptr, [&](const TimelineUpdate& update) { recorded.push_back(update); });
        QCOMPARE(int(result.outcome), int(Outcome::Completed));
        QCOMPARE(recorded.size(), size_t(3));
        follower.poll();
        follower.poll();  // nothing new: nothing handed over twice
        QCOMPARE(followed.size(), size_t(1));
        const auto& live = followed.front();
        QCOMPARE(live.index.snapshots.size(), recorded.back().index.snapshots.size());
        QCOMPARE(live.index.snapshots.back().step, int64_t(10));
        QCOMPARE(live.probeChannels, recorded.back().probeChannels);
        QVERIFY(live.probePixels == recorded.back().probePixels);
        QVERIFY(live.maps == recorded.back().maps);
        QCOMPARE(live.index.snapshots.back().measures.at("vg").gini, recorded.back().index.snapshots.back().measures.at("vg").gini);

        // A follower started on a finished folder (a run resumed or overwritten) waits for the index to be rewritten.
        std::vector<TimelineUpdate> later;
        TimelineFollower resumed(folder, [&](const TimelineUpdate& update) { later.push_back(update); });
        resumed.poll();
        QVERIFY(later.empty());
        const auto whole = folder.readIndex();
        auto upToStep5 = whole;
        upToStep5.snapshots.pop_back();  // as a resume from step 5 rewrites it
        folder.writeIndex(upToStep5);
        resumed.poll();
        QCOMPARE(later.size(), size_t(1));
        QCOMPARE(later.front().index.snapshots.back().step, int64_t(5));
        const auto step5 = readNpy(folder.mapsFile(5, "ig")).contiguous();
        QVERIFY(later.front().maps.at("ig") == std::vector<float>(step5.data_ptr<float>(), step5.data_ptr<float>() + step5.numel()));

        // A half-written or damaged index, or a snapshot whose maps are not all there yet, is "not yet", not an error.
        std::ofstream(folder.indexFile()) << "{\"format\": \"saliency-workbench-timeline\", \"snapshots\": [";
        resumed.poll();
        const auto step10 = folder.mapsFile(10, "vg");
        fs::rename(step10, dir() / "held-back.npy");
        folder.writeIndex(whole);
        resumed.poll();
        QCOMPARE(later.size(), size_t(1));
        fs::rename(dir() / "held-back.npy", step10);  // the recorder's map lands: the same index now counts
        resumed.poll();
        QCOMPARE(later.size(), size_t(2));
        QCOMPARE(later.back().index.snapshots.back().step, int64_t(10));
    }

    void aDamagedTimelineIsNamedNotRead() {
        QCOMPARE(failure(recordingRun(dir() / "damaged.swm", 5)), QString());
        const auto folder = TimelineFolder::besideModel(dir() / "damaged.swm");
        std::vector<TimelineRun> runs;
        Feedback feedback;
        fs::remove(folder.mapsFile(5, "vg"));
        auto result = loadTimelineRuns({(dir() / "damaged.swm").string()}, feedback, &runs);
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY2(result.message.find("step-00000005.vg.npy") != std::string::npos && result.message.find("missing") != std::string::npos,
                 result.message.c_str());
        std::ofstream(folder.indexFile()) << "{\"format\": \"saliency-workbench-timeline\", \"snapshots\": [";
        result = loadTimelineRuns({folder.root().string()}, feedback, &runs);
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY2(result.message.find("timeline.json") != std::string::npos && result.message.find("damaged") != std::string::npos,
                 result.message.c_str());
        result = loadTimelineRuns({(dir() / "never-trained.swm").string()}, feedback, &runs);
        QVERIFY2(result.message.find("never-trained.timeline") != std::string::npos, result.message.c_str());
    }

    void theExportWritesFramesAVideoAndTheMeasures() {
        const auto model = dir() / "export.swm";
        QCOMPARE(failure(recordingRun(model, 10)), QString());
        TimelineExportRequest request;
        request.runs = {model.string(), (dir() / "export.timeline").string()};
        request.outputDir = (dir() / "export-out").string();
        request.method = "ig";
        Feedback feedback;
        auto result = runTimelineExportJob(request, feedback);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        const auto out = dir() / "export-out";
        std::vector<std::string> frames;
        for (const auto& entry : fs::directory_iterator(out / "frames")) frames.push_back(entry.path().filename().string());
        std::sort(frames.begin(), frames.end());
        QCOMPARE(frames, (std::vector<std::string>{"step-00000000.png", "step-00000005.png", "step-00000010.png"}));
        const auto png = cv::imread((out / "frames" / "step-00000010.png").string());
        QVERIFY(!png.empty() && png.cols % 2 == 0 && png.rows % 2 == 0);

        cv::VideoCapture video((out / "timeline.mp4").string());
        QVERIFY(video.isOpened());
        int decoded = 0;
        cv::Mat frame, last;
        while (video.read(frame)) {
            last = frame.clone();
            ++decoded;
        }
        QCOMPARE(decoded, 3);
        QCOMPARE(last.size(), png.size());
        const double meanDifference = cv::mean(cv::abs(cv::Mat_<cv::Vec3s>(last) - cv::Mat_<cv::Vec3s>(png)))[0];
        QVERIFY2(meanDifference < 12.0, std::to_string(meanDifference).c_str());  // lossy, yet the same picture

        std::ifstream csv(out / "measures.csv");
        std::string header, line;
        std::getline(csv, header);
        QCOMPARE(QString::fromStdString(header),
                 QString("run,step,epoch,held_out_accuracy,probe_accuracy,method,gini,ris,ris_count,ssim,ssim_pairs,cost_seconds"));
        int rows = 0;
        while (std::getline(csv, line)) ++rows;
        QCOMPARE(rows, 2 * 3 * 2);  // runs × snapshots × methods

        request.method = "lrp";
        request.outputDir = (dir() / "export-refused").string();
        result = runTimelineExportJob(request, feedback);
        QVERIFY(result.message.find("--method lrp") != std::string::npos);
        const auto refusedWith = [&](auto change, const std::string& expected) {
            auto bad = request;
            bad.method = "ig";
            change(bad);
            const auto refused = runTimelineExportJob(bad, feedback);
            QVERIFY2(refused.outcome == Outcome::Failed && refused.message.find(expected) != std::string::npos, refused.message.c_str());
        };
        refusedWith([](TimelineExportRequest& r) { r.framesPerSecond = 0; }, "--fps");
        refusedWith([](TimelineExportRequest& r) { r.cellSide = 4; }, "--cell");
        refusedWith([](TimelineExportRequest& r) { r.style.colormap = "rainbow"; }, "--colormap rainbow");
        refusedWith([](TimelineExportRequest& r) { r.frames = r.animation = r.csv = false; }, "nothing to export");
        QVERIFY(!fs::exists(dir() / "export-refused"));
    }
};

QTEST_APPLESS_MAIN(TestTimeline)
#include "TestTimeline.moc"
