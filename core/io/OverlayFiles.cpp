#include "io/OverlayFiles.h"

#include <opencv2/imgcodecs.hpp>

#include "io/HeatmapImage.h"
#include "util/InputError.h"

namespace sw {

void writeOverlayPngs(const std::filesystem::path& folder, const std::string& shownFolder, const torch::Tensor& pixels,
                      const torch::Tensor& heatmaps, const std::vector<int64_t>& indices, const OverlayOptions& options) {
    auto style = options.style;
    if (options.sharedScale) style.scaleMax = heatmapScale(heatmaps, style.clipPercentile);
    for (int64_t i = 0; i < heatmaps.size(0); ++i) {
        const auto image = renderOverlay(pixels[i], heatmaps[i], style, options.minimumSide);
        const auto name = "overlay_" + std::to_string(indices.at(size_t(i))) + ".png";
        if (!cv::imwrite((folder / name).string(), image)) {
            throw InputError((std::filesystem::path(shownFolder) / name).string(), "cannot write PNG");
        }
    }
}

}  // namespace sw
