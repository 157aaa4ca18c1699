#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <torch/types.h>

#include "io/HeatmapStyle.h"

namespace sw {

/// What the overlay PNGs of a set of maps look like.
struct OverlayOptions {
    HeatmapStyle style;
    int minimumSide = 112;     ///< shorter side of each PNG, at least (enlarged by whole pixels)
    bool sharedScale = false;  ///< one colour scale, from all maps' clipPercentile of |value|
};

/// Writes `folder`/overlay_<index>.png for each heatmap (N×H×W) over its image (N×C×H×W); `indices` names them.
/// Throws InputError naming `shownFolder`/the file when one cannot be written. A build without OpenCV
/// (io/OverlayFilesUnavailable.cpp) throws InputError saying so.
void writeOverlayPngs(const std::filesystem::path& folder, const std::string& shownFolder, const torch::Tensor& pixels,
                      const torch::Tensor& heatmaps, const std::vector<int64_t>& indices, const OverlayOptions& options);

}  // namespace sw
