#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "train/AttackConfig.h"
#include "util/Feedback.h"

namespace sw {

/// `saliency-cli eval` and the GUI's accuracy check, in plain types.
struct EvalRequest {
    std::string modelPath;
    std::string datasetSpec = "fmnist";
    int64_t limit = 0;
    bool robust = false;                ///< robust accuracy under `attack`, or the model's training attack
    std::optional<AttackConfig> attack;
    std::string device = "auto";
    int threads = 0;
    uint64_t seed = 0;
    std::string jsonPath;               ///< empty = no file
    std::optional<std::array<int64_t, 3>> inputShape;  ///< TorchScript models without a sidecar
    std::vector<std::string> classNames;
};

struct EvalSummary {
    int64_t count = 0;
    double accuracy = 0.0;
    std::optional<double> robustAccuracy;
    std::string attackText;
};

JobResult runEvalJob(const EvalRequest& request, Feedback& feedback, EvalSummary* summary = nullptr);

/// The description of a model file as pretty JSON (for `saliency-cli info` and the GUI's details pane).
/// Throws InputError naming the file.
std::string describeModelFile(const std::string& path, const std::optional<std::array<int64_t, 3>>& inputShape = {},
                              const std::vector<std::string>& classNames = {});

}  // namespace sw
