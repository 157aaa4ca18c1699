#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/ModelDescription.h"
#include "timeline/TimelineFolder.h"
#include "timeline/TimelineOptions.h"
#include "train/TrainProgress.h"
#include "train/TrainRecipe.h"
#include "distributed/DistributedLaunch.h"
#include "jobs/JobEdge.h"
#include "util/Precision.h"

namespace sw {

/// Everything a front end (CLI or GUI) says about a training run, in plain types.
struct TrainRequest {
    std::string datasetSpec = "fmnist";
    std::string arch = "lenet";
    TrainRecipe recipe;
    std::vector<SmoothingSpec> smoothing;
    std::string normalization = "dataset";  ///< dataset (the usual per-dataset statistics) or none
    std::string device = "auto";
    int threads = 0;  ///< 0 = one per core
    /// fp32 (default), tf32 or bf16 for the training steps (docs/TRAINING.md, "Precision"); the evaluation at
    /// the end is always fp32.
    Precision precision = Precision::Float32;
    std::string outputPath;      ///< the model file to write
    std::string checkpointPath;  ///< empty = OUTPUT.ckpt
    int64_t checkpointEverySteps = 1000;
    std::string resumeFrom;   ///< a checkpoint to continue from
    std::string logCsvPath;   ///< empty = OUTPUT.train.csv
    int64_t evalLimit = 0;    ///< test samples for the final accuracy; 0 = the whole test split
    bool evalRobust = false;  ///< also measure robust accuracy under the training attack
    int64_t trainLimit = 0;   ///< use only the first N training samples (quick runs)
    /// Record a saliency timeline beside the model (docs/TIMELINE.md); rank 0 records for a data-parallel run.
    TimelineOptions timeline;
    /// One rank of a data-parallel run (docs/SCALING.md), or one process alone (the default). Rank 0 alone
    /// writes the model, the checkpoints and the log, and measures the test accuracy.
    DistributedLaunch distributed;
};

struct TrainSummary {
    std::string modelPath;
    int64_t steps = 0;
    double seconds = 0.0;
    double testAccuracy = 0.0;
    std::optional<double> robustAccuracy;
    std::string badge;
    /// With a saliency timeline: how many snapshots it holds, and how much of `seconds` this run spent taking its
    /// own (docs/TIMELINE.md, "What it costs").
    int64_t timelineSnapshots = 0;
    double recordingSeconds = 0.0;
};

/// Loads the data, builds (or resumes) the model, trains, evaluates on the test split and writes the model
/// file with its description and final metrics. Progress goes to `observer` (per report window, on every
/// rank of a data-parallel run: the window's figures are over all ranks) and
/// `feedback` (fraction); cancel stops within a batch and keeps a resumable checkpoint.
/// Failures (bad input, NaN loss) come back as Outcome::Failed with a message naming the file and cause.
/// With request.timeline.enabled, `onSnapshot` gets each timeline snapshot as it is written.
JobResult runTrainJob(const TrainRequest& request, Feedback& feedback, const TrainObserver& observer, TrainSummary* summary = nullptr,
                      const TimelineObserver& onSnapshot = {});

}  // namespace sw
