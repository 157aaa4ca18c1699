#include "io/OverlayRenderer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace sw {

namespace {

std::vector<float> sortedMagnitudes(const cv::Mat& heatmap) {
    CV_Assert(heatmap.type() == CV_32F);
    std::vector<float> magnitudes;
    magnitudes.reserve(heatmap.total());
    for (int y = 0; y < heatmap.rows; ++y) {
        const auto* row = heatmap.ptr<float>(y);
        for (int x = 0; x < heatmap.cols; ++x) {
            if (std::isfinite(row[x])) magnitudes.push_back(std::abs(row[x]));  // NaN would break the ordering
        }
    }
    std::sort(magnitudes.begin(), magnitudes.end());
    return magnitudes;
}

double quantileOfSorted(const std::vector<float>& sorted, double percentile) {
    if (sorted.empty()) return 0.0;
    const double position = std::clamp(percentile, 0.0, 100.0) / 100.0 * double(sorted.size() - 1);
    const auto below = size_t(std::floor(position));
    const auto above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - double(below);
    return sorted[below] + fraction * (double(sorted[above]) - double(sorted[below]));
}

int opencvColormapCode(const std::string& name) {
    if (name == "viridis") return cv::COLORMAP_VIRIDIS;
    if (name == "magma") return cv::COLORMAP_MAGMA;
    if (name == "plasma") return cv::COLORMAP_PLASMA;
    if (name == "cividis") return cv::COLORMAP_CIVIDIS;
    return cv::COLORMAP_INFERNO;
}

/// The colormap as a 256-entry BGR table, built once per name: OpenCV rebuilds its table on every
/// applyColorMap call, which costs more than colouring a 28×28 map.
const cv::Mat& colormapTable(const std::string& name) {
    static std::mutex mutex;
    static std::map<int, cv::Mat> tables;
    const int code = opencvColormapCode(name);
    std::lock_guard<std::mutex> lock(mutex);
    auto found = tables.find(code);
    if (found == tables.end()) {
        cv::Mat ramp(256, 1, CV_8U);
        for (int i = 0; i < 256; ++i) ramp.at<uint8_t>(i, 0) = uint8_t(i);
        cv::Mat table;
        cv::applyColorMap(ramp, table, code);
        found = tables.emplace(code, table.reshape(3, 1)).first;
    }
    return found->second;
}

// White at 0, red for positive and blue for negative values, in BGR.
cv::Vec3b divergingColour(double value) {
    const double v = std::clamp(value, -1.0, 1.0);
    const auto fade = cv::saturate_cast<uint8_t>(255.0 * (1.0 - std::abs(v)));
    return v >= 0 ? cv::Vec3b(fade, fade, 255) : cv::Vec3b(255, fade, fade);
}

cv::Mat toGreyBgr(const cv::Mat& image) {
    CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
    cv::Mat grey = image;
    if (image.channels() == 3) cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    cv::Mat bgr;
    cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
}

}  // namespace

cv::Vec3b colourOf(const std::string& colormap, double value) {
    if (colormap == "diverging") return divergingColour(value);
    return colormapTable(colormap).at<cv::Vec3b>(0, cv::saturate_cast<uint8_t>(255.0 * std::clamp(value, 0.0, 1.0)));
}

double heatmapScale(const cv::Mat& heatmap, double percentile) {
    if (heatmap.empty()) return 1.0;
    const double scale = quantileOfSorted(sortedMagnitudes(heatmap), percentile);
    return scale > 0 && std::isfinite(scale) ? scale : 1.0;
}

cv::Mat keepTopPercent(const cv::Mat& heatmap, double percent) {
    if (heatmap.empty() || percent >= 100.0) return heatmap.clone();
    const auto sorted = sortedMagnitudes(heatmap);
    const auto keep = size_t(std::ceil(std::max(0.0, percent) / 100.0 * double(sorted.size())));
    cv::Mat kept = cv::Mat::zeros(heatmap.size(), CV_32F);
    if (keep == 0 || sorted.empty()) return kept;
    const float threshold = sorted[sorted.size() - keep];
    for (int y = 0; y < heatmap.rows; ++y) {
        for (int x = 0; x < heatmap.cols; ++x) {
            const float v = heatmap.at<float>(y, x);
            if (std::abs(v) >= threshold) kept.at<float>(y, x) = v;
        }
    }
    return kept;
}

cv::Mat renderOverlay(const cv::Mat& image, const cv::Mat& heatmap, const HeatmapStyle& style, int minimumSide) {
    CV_Assert(heatmap.type() == CV_32F && image.rows == heatmap.rows && image.cols == heatmap.cols);
    const cv::Mat shown = keepTopPercent(heatmap, style.topKPercent);
    const double scale = style.scaleMax > 0 ? style.scaleMax : heatmapScale(heatmap, style.clipPercentile);
    const double opacity = std::clamp(style.opacity, 0.0, 1.0);
    const cv::Mat grey = toGreyBgr(image);
    cv::Mat blended(heatmap.size(), CV_8UC3);
    if (style.isDiverging()) {
        // White marks zero in a diverging map; blend by |value| so that zero shows the image, not a white veil.
        for (int y = 0; y < shown.rows; ++y) {
            for (int x = 0; x < shown.cols; ++x) {
                const double v = std::clamp(double(shown.at<float>(y, x)) / scale, -1.0, 1.0);
                const double alpha = opacity * std::abs(v);
                const auto heat = divergingColour(v);
                const auto& g = grey.at<cv::Vec3b>(y, x);
                auto& out = blended.at<cv::Vec3b>(y, x);
                for (int c = 0; c < 3; ++c) out[c] = cv::saturate_cast<uint8_t>(alpha * heat[c] + (1 - alpha) * g[c]);
            }
        }
    } else {
        cv::Mat levels(shown.size(), CV_8U);
        for (int y = 0; y < shown.rows; ++y) {
            for (int x = 0; x < shown.cols; ++x) {
                const double v = std::clamp(std::abs(double(shown.at<float>(y, x))) / scale, 0.0, 1.0);
                levels.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>(255.0 * v);
            }
        }
        cv::Mat levels3, heat;
        cv::cvtColor(levels, levels3, cv::COLOR_GRAY2BGR);
        cv::LUT(levels3, colormapTable(style.colormap), heat);
        cv::addWeighted(heat, opacity, grey, 1.0 - opacity, 0.0, blended);
    }
    const int shortSide = std::max(1, std::min(blended.rows, blended.cols));
    const int factor = std::max(1, (minimumSide + shortSide - 1) / shortSide);
    cv::Mat enlarged;
    cv::resize(blended, enlarged, cv::Size(), factor, factor, cv::INTER_NEAREST);
    return enlarged;
}

cv::Mat renderColourBar(const std::string& colormap, int length, int thickness, bool vertical) {
    length = std::max(length, 2);
    thickness = std::max(thickness, 1);
    cv::Mat bar(vertical ? length : thickness, vertical ? thickness : length, CV_8UC3);
    const bool diverging = colormap == "diverging";
    for (int i = 0; i < length; ++i) {
        const double fraction = double(i) / double(length - 1);  // 0 at the bottom/left
        const auto colour = colourOf(colormap, diverging ? 2.0 * fraction - 1.0 : fraction);
        if (vertical)
            bar.row(length - 1 - i).setTo(colour);
        else
            bar.col(i).setTo(colour);
    }
    return bar;
}

cv::Mat heatmapDifference(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != CV_32F || b.type() != CV_32F) {
        throw std::invalid_argument("maps of different sizes cannot be subtracted");
    }
    return a - b;
}

}  // namespace sw
