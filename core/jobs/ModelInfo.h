#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sw {

/// The description of a model file as pretty JSON (for `saliency-cli info` and the GUI's model card): the
/// model's own description, its badge and parameter count. Throws InputError naming the file.
std::string describeModelFile(const std::string& path, const std::optional<std::array<int64_t, 3>>& inputShape = {},
                              const std::vector<std::string>& classNames = {});

}  // namespace sw
