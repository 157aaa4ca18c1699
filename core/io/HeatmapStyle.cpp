#include "io/HeatmapStyle.h"

#include <algorithm>

namespace sw {

const std::vector<std::string>& knownColormaps() {
    static const std::vector<std::string> names = {"inferno", "viridis", "magma", "plasma", "cividis", "diverging"};
    return names;
}

bool isKnownColormap(const std::string& name) {
    const auto& names = knownColormaps();
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace sw
