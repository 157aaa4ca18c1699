#include "jobs/TrainJob.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "data/DatasetLoader.h"
#include "io/TrainLogCsv.h"
#include "models/ModelFile.h"
#include "models/NativeClassifier.h"
#include "timeline/TimelineRecorder.h"
#include "train/Evaluation.h"
#include "distributed/DataParallel.h"
#include "train/Trainer.h"
#include "train/TrainingCheckpoint.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace sw {

namespace {

ModelDescription describeNewModel(const TrainRequest& request, const Dataset& train) {
    ModelDescription description;
    description.arch = request.arch;
    description.inputShape = train.imageShape();
    description.classes = train.classNames;
    if (request.normalization == "dataset") {
        setDefaultNormalization(description, train.spec);
    } else if (request.normalization != "none") {
        throw InputError("--normalize " + request.normalization, "expected dataset or none");
    }
    description.smoothing = request.smoothing;
    description.dataset = train.spec;
    description.seed = request.recipe.seed;
    description.training = request.recipe.toJson();
    description.training["precision"] = precisionName(request.precision);
    description.programVersion = programVersion();
    return description;
}

}  // namespace

JobResult runTrainJob(const TrainRequest& request, Feedback& feedback, const TrainObserver& observer, TrainSummary* summary,
                      const TimelineObserver& onSnapshot) {
    return runGuarded([&]() -> JobResult {
        if (request.outputPath.empty()) throw InputError("--out", "a model file to write is required");
        prepareCpuCompute(request.threads);
        const auto device = resolveDevice(request.distributed.deviceForRank(request.device));
        const auto spec = DatasetSpec::parse(request.datasetSpec);
        feedback.setProgress(0.0, "loading " + spec.toString());
        DatasetLoadOptions trainLoad;
        trainLoad.defaultSplit = "train";
        auto train = loadDataset(spec, trainLoad);
        if (request.trainLimit > 0) train = train.head(request.trainLimit);
        DatasetLoadOptions testLoad;
        testLoad.imageShape = train.imageShape();
        const auto test = loadDataset(spec.withSplit(spec.kind == DatasetSpec::Kind::ImageFolder ? "val" : "test"), testLoad);

        const std::string checkpointPath = request.checkpointPath.empty() ? request.outputPath + ".ckpt" : request.checkpointPath;
        // Initial weights come from the global generator: seed it so a run is reproducible.
        torch::manual_seed(request.recipe.seed);
        Classifier network = request.resumeFrom.empty() ? Classifier(describeNewModel(request, train))
                                                        : Classifier(readCheckpointDescription(request.resumeFrom));
        // A data-parallel run meets its other ranks before anything is written.
        std::unique_ptr<DataParallelGroup> group;
        if (request.distributed.isDistributed()) group = DataParallelGroup::connect(request.distributed, device);
        const bool leader = request.distributed.isLeader();
        TrainerOptions options;
        options.group = group.get();
        options.device = device;
        options.checkpointPath = checkpointPath;
        options.checkpointEverySteps = request.checkpointEverySteps;
        options.precision = request.precision;
        TrainLogCsv log(request.logCsvPath.empty() ? request.outputPath + ".train.csv" : request.logCsvPath);
        options.observer = [&](const TrainProgress& progress) {
            if (leader) log.add(progress);
            if (observer) observer(progress);  // every rank: a launcher shows each one's progress
        };
        NativeClassifier probe(network);
        probe.checkCompatible(train, request.resumeFrom.empty() ? request.outputPath : request.resumeFrom);
        std::unique_ptr<TimelineRecorder> timeline;
        if (request.timeline.enabled && leader) {  // checked here, before the first step writes anything
            timeline = std::make_unique<TimelineRecorder>(request.timeline, request.outputPath, test, onSnapshot);
            options.onStep = [&](const TrainerPosition& position, Classifier& trained) { timeline->onStep(position, trained); };
        }

        Trainer trainer(network, request.recipe, options);
        if (!request.resumeFrom.empty()) {
            trainer.resumeFrom(request.resumeFrom);
            if (leader) log.continueFrom(trainer.globalStep());
        }
        const auto started = std::chrono::steady_clock::now();
        try {
            const PrecisionScope trainingPrecision(request.precision);
            trainer.run(train, &feedback);
        } catch (const Cancelled&) {
            if (leader) log.write();
            // Worded for every face: the CLI adds its --resume line, the Train tab its Resume button.
            throw Cancelled("cancelled at step " + std::to_string(trainer.globalStep()) + "; the checkpoint is kept (" + checkpointPath +
                            ")");
        }
        if (!leader) {
            return JobResult::completed("rank " + std::to_string(request.distributed.rank) + " of " +
                                        std::to_string(request.distributed.worldSize) + ": trained " +
                                        std::to_string(trainer.globalStep()) + " steps; rank 0 writes the model");
        }
        log.write();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

        const PrecisionScope exact(Precision::Float32);  // the run's evaluation, whatever it trained in
        NativeClassifier trained(trainer.network());
        AccuracyOptions accuracyOptions;
        accuracyOptions.limit = request.evalLimit;
        accuracyOptions.seed = request.recipe.seed;
        if (request.evalRobust && request.recipe.adversarial.enabled()) accuracyOptions.attack = request.recipe.adversarial;
        const auto report = evaluateAccuracy(trained, test, accuracyOptions, &feedback);

        auto& description = trainer.network()->description();
        description.created = currentUtcTimestamp();
        description.metrics = {{"test_accuracy", report.accuracy}, {"test_samples", report.count},
                               {"test_dataset", test.spec},        {"train_steps", trainer.globalStep()},
                               {"train_seconds", seconds},         {"train_ranks", request.distributed.worldSize}};
        if (report.robustAccuracy) description.metrics["robust_accuracy"] = *report.robustAccuracy;
        trainer.network()->to(torch::kCPU);
        saveNativeModel(trainer.network(), request.outputPath);

        if (summary) {
            summary->modelPath = request.outputPath;
            summary->steps = trainer.globalStep();
            summary->seconds = seconds;
            summary->testAccuracy = report.accuracy;
            summary->robustAccuracy = report.robustAccuracy;
            summary->badge = description.badge();
            if (timeline) {
                summary->timelineSnapshots = int64_t(timeline->index().snapshots.size());
                summary->recordingSeconds = timeline->costSecondsOfThisRun();
            }
        }
        char text[160];
        std::snprintf(text, sizeof text, "test accuracy %.2f %% on %lld samples", 100.0 * report.accuracy,
                      static_cast<long long>(report.count));
        return JobResult::completed(text);
    });
}

}  // namespace sw
