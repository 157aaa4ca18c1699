#pragma once

#include <string>
#include <vector>

namespace sw {

/// The colormap a map gets unless the user chooses one: inferno for |attribution|, the diverging map for
/// signed maps. The CLI's PNGs and the GUI's grid both start from it.
inline std::string defaultColormap(bool signedMap) { return signedMap ? "diverging" : "inferno"; }

/// How a heatmap becomes colours: a perceptually uniform sequential map for |attribution|
/// (inferno, viridis, magma, plasma, cividis) or a diverging blue–white–red map ("diverging") for signed maps.
/// Plain data without torch: the GUI keeps one and re-renders finished maps when it changes.
struct HeatmapStyle {
    std::string colormap = defaultColormap(false);
    double opacity = 0.6;           ///< of the heatmap over the grey image, in [0, 1]
    double scaleMax = 0.0;          ///< value mapped to the top of the colormap; <= 0 = this map's own scale
    double clipPercentile = 100.0;  ///< a map's own scale is this percentile of its |values| (when scaleMax <= 0)
    double topKPercent = 100.0;     ///< show only the k % of pixels with the largest |value|; 100 = all

    bool isDiverging() const { return colormap == "diverging"; }
};

/// Names accepted by HeatmapStyle::colormap, sequential ones first.
const std::vector<std::string>& knownColormaps();
bool isKnownColormap(const std::string& name);

}  // namespace sw
