#pragma once

#include <opencv2/core.hpp>
#include <torch/types.h>

#include "io/HeatmapStyle.h"

namespace sw {

/// Tensor front ends of OverlayRenderer.h for the core's own jobs.

/// A BGR image: the heatmap (H×W) coloured and blended over `pixels` (C×H×W in [0, 1]), upscaled so the
/// short side is at least `minimumSide` pixels (nearest neighbour, so pixels stay visible).
cv::Mat renderOverlay(const torch::Tensor& pixels, const torch::Tensor& heatmap, const HeatmapStyle& style, int minimumSide = 112);

/// The scale a map gets by itself: the clipPercentile-th percentile of |value|.
double heatmapScale(const torch::Tensor& heatmap, double clipPercentile = 100.0);

/// A 2-D heatmap tensor (H×W, any device) as a CV_32F matrix (a copy).
cv::Mat heatmapToMat(const torch::Tensor& heatmap);

}  // namespace sw
