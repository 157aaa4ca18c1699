#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explain/SaliencyConfig.h"

namespace sw {

/// What a training run records in its saliency timeline (docs/TIMELINE.md): which probe images, which methods,
/// and when. Plain data, safe for the UI; recorded in the timeline's index so that a resumed run records the same.
struct TimelineOptions {
    bool enabled = false;
    /// Test-split indices of the probe images; empty = the default set: the first image of each class, then the
    /// first images the model at the start of recording misclassifies, up to probeCount.
    std::vector<int64_t> probeIndices;
    int64_t probeCount = 12;
    std::vector<std::string> methods = {"vg", "ig"};  ///< ids of explain/SaliencyMethods.h's table
    int64_t igSteps = 16;                             ///< IG's steps in the timeline (cheaper than the explainer's 50)
    int64_t snapshots = 24;                           ///< log-spaced over the run, plus every epoch's end and step 0
    int64_t everySteps = 0;                           ///< > 0: a snapshot every this many steps instead of log spacing
    int64_t heldOutCount = 1000;                      ///< the first N test images give the accuracy over training
    double noiseSigma = 0.1;                          ///< the SSIM of clean vs noisy maps, pixel units
    int64_t stabilitySamples = 5;                     ///< RIS perturbations per probe (the protocol's default)
    uint64_t seed = 0;                                ///< noise for RIS and SSIM (the same at every snapshot)

    /// Throws InputError naming the option (the CLI's --timeline-* names).
    void validate() const;
    /// The explainer's config of each method: the label as target (a probe's map follows one class over
    /// training), the timeline's IG steps, everything else the method's defaults.
    std::vector<SaliencyConfig> methodConfigs() const;

    nlohmann::json toJson() const;
    /// Throws InputError naming `source` when a field has the wrong type.
    static TimelineOptions fromJson(const nlohmann::json& json, const std::string& source);
};

/// The global steps at which a run of `totalSteps` (`stepsPerEpoch` each epoch) takes a snapshot, ascending:
/// step 0 (the untrained model), then either every options.everySteps steps or about options.snapshots
/// log-spaced steps (round(totalᵏ⸍⁽ⁿ⁻¹⁾), duplicates merged), plus the end of every epoch and the last step.
std::vector<int64_t> timelineSchedule(const TimelineOptions& options, int64_t totalSteps, int64_t stepsPerEpoch);

}  // namespace sw
