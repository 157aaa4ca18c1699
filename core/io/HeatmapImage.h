#pragma once

#include <string>

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace sw {

/// How a heatmap becomes colours: a perceptually uniform sequential map for |attribution|
/// (inferno, viridis, magma, plasma) or a diverging blue–white–red map ("diverging") for signed maps.
struct HeatmapStyle {
    std::string colormap = "inferno";
    double opacity = 0.6;      ///< of the heatmap over the grey image
    double scaleMax = 0.0;     ///< value mapped to the top of the colormap; <= 0 = this map's own max |value|
    double clipPercentile = 100.0;  ///< per-map scale from this percentile of |value| (when scaleMax <= 0)
};

/// Names accepted by HeatmapStyle::colormap.
bool isKnownColormap(const std::string& name);

/// A BGR image: the heatmap (H×W) coloured and blended over `pixels` (C×H×W in [0, 1]), upscaled so the
/// short side is at least `minimumSide` pixels (nearest neighbour, so pixels stay visible).
cv::Mat renderOverlay(const torch::Tensor& pixels, const torch::Tensor& heatmap, const HeatmapStyle& style,
                      int minimumSide = 112);

/// The scale a map gets by itself: the clipPercentile-th percentile of |value|.
double heatmapScale(const torch::Tensor& heatmap, double clipPercentile = 100.0);

}  // namespace sw
