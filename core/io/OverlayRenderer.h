#pragma once

#include <opencv2/core.hpp>

#include "io/HeatmapStyle.h"

namespace sw {

/// Heatmaps as pictures, in OpenCV types only, so the GUI thread can re-render finished maps cheaply
/// (a 28×28 map takes microseconds) whenever the style changes, without recomputing them.

/// The `percentile`-th percentile (linear interpolation, as torch.quantile) of |value| of a CV_32F map;
/// 1 when the map is empty or all zero, so that dividing by it is always safe.
double heatmapScale(const cv::Mat& heatmap, double percentile = 100.0);

/// The map with every pixel outside the top `percent` % of |value| set to zero (100 = unchanged).
cv::Mat keepTopPercent(const cv::Mat& heatmap, double percent);

/// A BGR 8-bit image: the CV_32F heatmap coloured and blended over `image` (8-bit grey or BGR, same size),
/// enlarged by an integer factor (nearest neighbour, so pixels stay visible) until its short side is at
/// least `minimumSide`. Sequential colormaps show |value|; the diverging one shows the sign.
cv::Mat renderOverlay(const cv::Mat& image, const cv::Mat& heatmap, const HeatmapStyle& style, int minimumSide = 112);

/// The colour bar of a colormap as a BGR image, `length` pixels long and `thickness` wide; vertical bars
/// have the top of the scale at the top, horizontal ones at the right.
cv::Mat renderColourBar(const std::string& colormap, int length, int thickness, bool vertical = true);

/// a − b for two CV_32F maps of the same size; throws std::invalid_argument when the sizes differ.
cv::Mat heatmapDifference(const cv::Mat& a, const cv::Mat& b);

/// The colour a value in [0, 1] (sequential) or [−1, 1] (diverging) gets, as BGR.
cv::Vec3b colourOf(const std::string& colormap, double value);

}  // namespace sw
