#include "io/HeatmapImage.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "data/ImageConversion.h"

namespace sw {

bool isKnownColormap(const std::string& name) {
    return name == "inferno" || name == "viridis" || name == "magma" || name == "plasma" || name == "diverging";
}

double heatmapScale(const torch::Tensor& heatmap, double clipPercentile) {
    const auto magnitudes = heatmap.detach().abs().flatten().to(torch::kCPU, torch::kFloat64);
    if (magnitudes.numel() == 0) return 1.0;
    const double q = std::clamp(clipPercentile, 0.0, 100.0) / 100.0;
    const double scale = torch::quantile(magnitudes, q).item<double>();
    return scale > 0 ? scale : 1.0;
}

namespace {

cv::Mat colourise(const cv::Mat& values, const std::string& colormap) {
    // values: CV_32F in [0, 1] (sequential) or [-1, 1] (diverging)
    cv::Mat coloured;
    if (colormap == "diverging") {
        coloured.create(values.size(), CV_8UC3);
        for (int y = 0; y < values.rows; ++y) {
            for (int x = 0; x < values.cols; ++x) {
                const float v = std::clamp(values.at<float>(y, x), -1.0f, 1.0f);
                // white at 0, red (positive) and blue (negative) at the ends
                const auto fade = uint8_t(std::lround(255.0f * (1.0f - std::abs(v))));
                coloured.at<cv::Vec3b>(y, x) = v >= 0 ? cv::Vec3b(fade, fade, 255) : cv::Vec3b(255, fade, fade);
            }
        }
        return coloured;
    }
    cv::Mat bytes;
    values.convertTo(bytes, CV_8U, 255.0);
    int code = cv::COLORMAP_INFERNO;
    if (colormap == "viridis") code = cv::COLORMAP_VIRIDIS;
    else if (colormap == "magma") code = cv::COLORMAP_MAGMA;
    else if (colormap == "plasma") code = cv::COLORMAP_PLASMA;
    cv::applyColorMap(bytes, coloured, code);
    return coloured;
}

}  // namespace

cv::Mat renderOverlay(const torch::Tensor& pixels, const torch::Tensor& heatmap, const HeatmapStyle& style, int minimumSide) {
    const double scale = style.scaleMax > 0 ? style.scaleMax : heatmapScale(heatmap, style.clipPercentile);
    auto normalised = heatmap.detach().to(torch::kCPU, torch::kFloat32) / float(scale);
    normalised = style.colormap == "diverging" ? normalised.clamp(-1, 1) : normalised.abs().clamp(0, 1);
    normalised = normalised.contiguous();
    const cv::Mat values(int(normalised.size(0)), int(normalised.size(1)), CV_32F, normalised.data_ptr<float>());
    const auto heat = colourise(values.clone(), style.colormap);
    cv::Mat grey = tensorToMat(pixels.detach().cpu().to(torch::kFloat32));
    if (grey.channels() == 3) cv::cvtColor(grey, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, grey, cv::COLOR_GRAY2BGR);
    cv::Mat blended;
    if (style.colormap == "diverging") {
        // White marks zero in a diverging map; blend by |value| so that zero shows the image, not a white veil.
        blended.create(heat.size(), CV_8UC3);
        for (int y = 0; y < heat.rows; ++y) {
            for (int x = 0; x < heat.cols; ++x) {
                const double alpha = style.opacity * std::abs(values.at<float>(y, x));
                const auto& h = heat.at<cv::Vec3b>(y, x);
                const auto& g = grey.at<cv::Vec3b>(y, x);
                for (int c = 0; c < 3; ++c) blended.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uint8_t>(alpha * h[c] + (1 - alpha) * g[c]);
            }
        }
    } else {
        cv::addWeighted(heat, style.opacity, grey, 1.0 - style.opacity, 0.0, blended);
    }
    const int factor = std::max(1, (minimumSide + std::min(blended.rows, blended.cols) - 1) / std::min(blended.rows, blended.cols));
    cv::Mat enlarged;
    cv::resize(blended, enlarged, cv::Size(), factor, factor, cv::INTER_NEAREST);
    return enlarged;
}

}  // namespace sw
