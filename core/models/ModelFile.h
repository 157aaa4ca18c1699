#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/Classifier.h"
#include "models/ImageClassifier.h"

namespace sw {

/// What a TorchScript file cannot say about itself. Values given here win over the JSON sidecar
/// (`model.json` next to `model.pt`, `{"input_shape": [C, H, W], "classes": [...]}`).
struct TorchScriptMetadata {
    std::optional<std::array<int64_t, 3>> inputShape;
    std::vector<std::string> classes;
};

/// Writes a native model file atomically: the JSON description and the weights in one archive.
void saveNativeModel(const Classifier& network, const std::filesystem::path& path);

/// Rebuilds a native model from its file (architecture from the description, then the weights).
/// Throws InputError naming the file when it is missing, damaged or not a native model.
Classifier loadNativeNetwork(const std::filesystem::path& path);

/// Loads a native model file or a TorchScript file, whichever `path` is. Models come back on the CPU
/// in eval mode.
std::unique_ptr<ImageClassifier> loadModel(const std::filesystem::path& path, const TorchScriptMetadata& metadata = {});

/// True when `path` is a native model file (false for TorchScript); throws InputError when unreadable.
bool isNativeModelFile(const std::filesystem::path& path);

}  // namespace sw
