#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "train/AttackConfig.h"
#include "jobs/JobEdge.h"
#include "util/Precision.h"

namespace sw {

/// `saliency-cli eval`: clean (and robust) accuracy of one model, in plain types.
struct AccuracyRequest {
    std::string modelPath;
    std::string datasetSpec = "fmnist";
    int64_t limit = 0;
    bool robust = false;  ///< robust accuracy under `attack`, or the model's training attack
    std::optional<AttackConfig> attack;
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;  ///< fp32 (default) or tf32 (util/Precision.h)
    uint64_t seed = 0;
    std::string jsonPath;                              ///< empty = no file
    std::optional<std::array<int64_t, 3>> inputShape;  ///< TorchScript models without a sidecar
    std::vector<std::string> classNames;
};

struct AccuracySummary {
    int64_t count = 0;
    double accuracy = 0.0;
    std::optional<double> robustAccuracy;
    std::string attackText;
};

/// Measures accuracy (and robust accuracy under `attack`) and writes the JSON to `jsonPath` atomically, when given.
JobResult runAccuracyJob(const AccuracyRequest& request, Feedback& feedback, AccuracySummary* summary = nullptr);

}  // namespace sw
