#pragma once

#include <chrono>
#include <filesystem>

#include "data/Dataset.h"
#include "models/Classifier.h"
#include "timeline/TimelineFolder.h"
#include "timeline/TimelineOptions.h"
#include "train/Trainer.h"

namespace sw {

/// Records a training run's saliency timeline (docs/TIMELINE.md) into MODEL.timeline/: at every scheduled step it
/// explains the probe images with each method, measures them and writes the snapshot. Plug it into the trainer as
/// TrainerOptions::onStep. A run that resumes continues the timeline: snapshots after the checkpoint's step are
/// dropped and redone. Snapshots are computed in true float32 with the network in eval mode, from their own seeded
/// noise, so recording changes nothing in the training itself.
class TimelineRecorder {
public:
    /// Checks the options against `test` (probe indices in range, known methods) and throws InputError before
    /// anything is written. `test` must outlive the recorder.
    TimelineRecorder(TimelineOptions options, const std::filesystem::path& modelFile, const Dataset& test, TimelineObserver observer = {});

    /// The trainer's onStep: the first call opens (or, on a resume, continues) the timeline.
    void onStep(const TrainerPosition& position, Classifier& network);

    const TimelineFolder& folder() const { return m_folder; }
    /// The timeline so far, as its index on disk says.
    const TimelineIndex& index() const { return m_index; }
    /// What the snapshots this recorder took cost this run, in seconds (a resumed run's earlier ones not included).
    double costSecondsOfThisRun() const { return m_costSecondsOfThisRun; }

private:
    void begin(const TrainerPosition& position, Classifier& network);
    std::vector<int64_t> defaultProbes(Classifier& network) const;
    void record(int64_t step, int64_t epoch, Classifier& network, std::chrono::steady_clock::time_point started);

    TimelineOptions m_options;
    std::string m_modelName;
    const Dataset& m_test;
    TimelineObserver m_observer;
    TimelineFolder m_folder;
    TimelineIndex m_index;
    torch::Tensor m_probePixels;  ///< P×C×H×W on the CPU
    torch::Tensor m_probeLabels;
    std::vector<int64_t> m_schedule;
    bool m_begun = false;
    double m_costSecondsOfThisRun = 0.0;
};

}  // namespace sw
