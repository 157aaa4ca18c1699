#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sw {

/// One smoothing block `y = x + Conv1x1(Blur(x))` inserted after a named stage.
struct SmoothingSpec {
    std::string kind = "gaussian";  ///< gaussian, mean or median
    std::string after;              ///< stage name, e.g. "pool1" (LeNet) or "layer1" (ResNets)
    int64_t kernelSize = 3;         ///< odd
    std::optional<double> sigma;    ///< Gaussian σ in feature-map pixels; unset = the authors' rule from the map size

    nlohmann::json toJson() const;
    static SmoothingSpec fromJson(const nlohmann::json& json);  ///< throws nlohmann::json::exception for a bad entry
};

/// Everything needed to rebuild a model and to say where it came from. Stored as JSON inside the
/// model file (see ModelFile.h); the field names are a file format.
struct ModelDescription {
    std::string arch = "lenet";                    ///< lenet, resnet18, resnet18-imagenet, wrn-D-W, torchscript
    std::array<int64_t, 3> inputShape{1, 28, 28};  ///< C, H, W of the pixel input in [0, 1]
    std::vector<std::string> classes;
    std::vector<double> normalizationMean;  ///< per channel; the model's first layer
    std::vector<double> normalizationStd;
    std::vector<SmoothingSpec> smoothing;
    nlohmann::json training = nlohmann::json::object();  ///< the recipe it was trained with
    std::string dataset;
    uint64_t seed = 0;
    nlohmann::json metrics = nlohmann::json::object();  ///< final metrics, e.g. test_accuracy
    std::string created;                                ///< ISO 8601 UTC
    std::string programVersion;

    nlohmann::json toJson() const;
    /// Throws InputError naming `source` when a field is missing or has the wrong type.
    static ModelDescription fromJson(const nlohmann::json& json, const std::string& source);

    /// A short label for lists: "natural", "adv pgd ε=0.1 +gaussian@pool1".
    std::string badge() const;
    std::string inputShapeText() const;  ///< "1×28×28"
};

/// Per-channel mean/std for a dataset kind's usual normalisation ("fmnist", "mnist", "cifar10", "imagenet").
void setDefaultNormalization(ModelDescription& description, const std::string& datasetSpec);

/// Current time as ISO 8601 UTC, for `created`.
std::string currentUtcTimestamp();

/// The program version compiled in.
std::string programVersion();

}  // namespace sw
