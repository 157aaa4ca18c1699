#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sw {

/// A model file as the GUI knows it; TorchScript files without a sidecar carry their shape and classes here.
struct ModelReference {
    std::string path;
    std::optional<std::array<int64_t, 3>> inputShape;
    std::vector<std::string> classNames;
};

}  // namespace sw
