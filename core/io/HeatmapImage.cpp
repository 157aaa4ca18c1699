#include "io/HeatmapImage.h"

#include <algorithm>

#include "data/ImageConversion.h"
#include "io/OverlayRenderer.h"

namespace sw {

double heatmapScale(const torch::Tensor& heatmap, double clipPercentile) {
    const auto magnitudes = heatmap.detach().abs().flatten().to(torch::kCPU, torch::kFloat64);
    if (magnitudes.numel() == 0) return 1.0;
    const double q = std::clamp(clipPercentile, 0.0, 100.0) / 100.0;
    const double scale = torch::quantile(magnitudes, q).item<double>();
    return scale > 0 ? scale : 1.0;
}

cv::Mat heatmapToMat(const torch::Tensor& heatmap) {
    TORCH_CHECK(heatmap.dim() == 2, "expected an H×W heatmap, got ", heatmap.dim(), "D");
    const auto values = heatmap.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return cv::Mat(int(values.size(0)), int(values.size(1)), CV_32F, values.data_ptr<float>()).clone();
}

cv::Mat renderOverlay(const torch::Tensor& pixels, const torch::Tensor& heatmap, const HeatmapStyle& style, int minimumSide) {
    auto resolved = style;
    if (resolved.scaleMax <= 0) resolved.scaleMax = heatmapScale(heatmap, style.clipPercentile);
    return renderOverlay(tensorToMat(pixels.detach().cpu().to(torch::kFloat32)), heatmapToMat(heatmap), resolved, minimumSide);
}

}  // namespace sw
