#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "timeline/TimelineOptions.h"

namespace sw {

/// One method's measures on the probe set at one snapshot (docs/TIMELINE.md; definitions as docs/METRICS.md).
struct TimelineMeasures {
    double gini = 0.0;      ///< mean Sparseness over the probes
    double ris = 0.0;       ///< mean RIS over the probes whose perturbations kept the prediction; NaN when none did
    int64_t risCount = 0;   ///< how many probes that mean is over
    double ssim = 0.0;      ///< mean SSIM of clean vs noisy maps (σ = options.noiseSigma) of the probes that stay correct
    int64_t ssimPairs = 0;  ///< how many pairs that mean is over (NaN ssim when 0)
};

/// One snapshot: the model after `step` optimiser steps.
struct TimelineSnapshot {
    int64_t step = 0;
    int64_t epoch = 0;                                 ///< the epoch the step belongs to (0 at step 0)
    double heldOutAccuracy = 0.0;                      ///< on the first options.heldOutCount test images
    std::vector<int64_t> predictions;                  ///< per probe
    std::vector<double> confidences;                   ///< softmax probability of each probe's prediction
    std::map<std::string, TimelineMeasures> measures;  ///< per method id
    /// What taking it cost the training run, in seconds: computing it and writing its maps (for a new run's first
    /// snapshot, also choosing and saving the probes). Not counted: writing the index that lists it, and a live
    /// view's read-back of its files. NaN when unknown (timelines recorded before the cost was kept).
    double costSeconds = std::numeric_limits<double>::quiet_NaN();

    double probeAccuracy(const std::vector<int64_t>& labels) const;
};

/// A timeline's index (timeline.json): what was recorded, and every snapshot so far in step order.
struct TimelineIndex {
    std::string model;    ///< the model file's name, as the run was told to write it
    std::string dataset;  ///< the test split the probes come from
    std::vector<std::string> classNames;
    std::vector<int64_t> probeIndices, probeLabels;
    int64_t mapHeight = 0, mapWidth = 0;
    int64_t totalSteps = 0, stepsPerEpoch = 0;
    TimelineOptions options;
    std::vector<TimelineSnapshot> snapshots;

    /// The snapshot at or last before `step` (the first one when `step` precedes them all); −1 when there are none.
    int64_t snapshotAtOrBefore(int64_t step) const;
    /// What the snapshots so far cost the training run, in seconds; NaN when any of their costs is unknown.
    double recordingCostSeconds() const;
};

/// What a live view gets after each snapshot: the index so far, the probe images and the newest snapshot's maps.
struct TimelineUpdate {
    TimelineIndex index;
    int64_t probeChannels = 0;
    std::vector<float> probePixels;                  ///< P×C×H×W in [0, 1]
    std::map<std::string, std::vector<float>> maps;  ///< per method: P×H×W, the newest snapshot's
};

/// Called on the training thread after each snapshot is written; keep it cheap (copy and hand over).
using TimelineObserver = std::function<void(const TimelineUpdate&)>;

/// The files of a saliency timeline, named in one place (docs/TIMELINE.md, "The folder"): MODEL.timeline/ beside
/// the model, holding timeline.json (the index), probes.npy (P×C×H×W float32 probe images in [0, 1]) and, per
/// snapshot and method, step-NNNNNNNN.METHOD.npy (P×H×W float32 heatmaps). Every file is written atomically and the
/// index last, so a run killed at any moment leaves a readable timeline of the snapshots finished before.
class TimelineFolder {
public:
    explicit TimelineFolder(std::filesystem::path root) : m_root(std::move(root)) {}
    /// MODEL.timeline beside `modelFile`.
    static TimelineFolder besideModel(const std::filesystem::path& modelFile);
    /// A folder or a model file (whose timeline is beside it), as the user names a run.
    static TimelineFolder ofRun(const std::filesystem::path& folderOrModel);

    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path indexFile() const { return m_root / "timeline.json"; }
    std::filesystem::path probesFile() const { return m_root / "probes.npy"; }
    std::filesystem::path mapsFile(int64_t step, const std::string& method) const;
    /// The run's name in figures and tables: the model's stem ("adv" for adv.timeline).
    std::string runName() const;

    bool hasIndex() const;
    /// Throws InputError naming timeline.json when it is missing, is no timeline or is damaged.
    TimelineIndex readIndex() const;
    /// Atomic: the old index stays whole until the new one replaces it.
    void writeIndex(const TimelineIndex& index) const;
    /// What a live view shows of `index`'s newest snapshot, read back from the folder; none while its files are
    /// not all written (or the probes do not match the index).
    std::optional<TimelineUpdate> readNewestUpdate(const TimelineIndex& index) const;

private:
    std::filesystem::path m_root;
};

}  // namespace sw
