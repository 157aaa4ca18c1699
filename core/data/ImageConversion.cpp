#include "data/ImageConversion.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "util/InputError.h"

namespace sw {

torch::Tensor matToTensor(const cv::Mat& image, int64_t channels) {
    TORCH_CHECK(image.depth() == CV_8U, "expected an 8-bit image");
    TORCH_CHECK(channels == 1 || channels == 3, "expected 1 or 3 channels, got ", channels);
    cv::Mat converted;
    const int sourceChannels = image.channels();
    if (channels == 1) {
        if (sourceChannels == 1)
            converted = image;
        else if (sourceChannels == 3)
            cv::cvtColor(image, converted, cv::COLOR_BGR2GRAY);
        else
            cv::cvtColor(image, converted, cv::COLOR_BGRA2GRAY);
    } else {
        if (sourceChannels == 1)
            cv::cvtColor(image, converted, cv::COLOR_GRAY2RGB);
        else if (sourceChannels == 3)
            cv::cvtColor(image, converted, cv::COLOR_BGR2RGB);
        else
            cv::cvtColor(image, converted, cv::COLOR_BGRA2RGB);
    }
    if (!converted.isContinuous()) {
        converted = converted.clone();
    }
    const auto hwc = torch::from_blob(converted.data, {converted.rows, converted.cols, channels}, torch::kUInt8);
    return hwc.permute({2, 0, 1}).contiguous().clone();
}

cv::Mat tensorToMat(const torch::Tensor& image) {
    TORCH_CHECK(image.dim() == 3, "expected C×H×W, got ", image.dim(), "D");
    auto bytes = image.detach().cpu();
    if (bytes.scalar_type() != torch::kUInt8) {
        bytes = bytes.to(torch::kFloat32).mul(255.0f).round().clamp(0, 255).to(torch::kUInt8);
    }
    const auto channels = bytes.size(0);
    TORCH_CHECK(channels == 1 || channels == 3, "expected 1 or 3 channels, got ", channels);
    const auto hwc = bytes.permute({1, 2, 0}).contiguous();
    cv::Mat view(static_cast<int>(hwc.size(0)), static_cast<int>(hwc.size(1)), channels == 1 ? CV_8UC1 : CV_8UC3, hwc.data_ptr<uint8_t>());
    cv::Mat result;
    if (channels == 3)
        cv::cvtColor(view, result, cv::COLOR_RGB2BGR);
    else
        result = view.clone();
    return result;
}

cv::Mat resizeAndCenterCrop(const cv::Mat& image, int height, int width) {
    const double scale = std::max(double(height) / image.rows, double(width) / image.cols);
    const int scaledRows = std::max(height, int(std::lround(image.rows * scale)));
    const int scaledCols = std::max(width, int(std::lround(image.cols * scale)));
    cv::Mat scaled;
    const int interpolation = scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::resize(image, scaled, cv::Size(scaledCols, scaledRows), 0, 0, interpolation);
    const cv::Rect centre((scaledCols - width) / 2, (scaledRows - height) / 2, width, height);
    return scaled(centre).clone();
}

torch::Tensor loadImageFile(const std::filesystem::path& path, int64_t channels, int64_t height, int64_t width, std::string* conversion) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        throw InputError(path.string(), "file not found");
    }
    cv::Mat decoded;
    try {
        decoded = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& exception) {
        throw InputError(path.string(), std::string("cannot decode image (") + exception.what() + ")");
    }
    if (decoded.empty()) {
        throw InputError(path.string(), "cannot decode image (not an image, or a damaged file)");
    }
    if (decoded.depth() != CV_8U) {
        cv::Mat eightBit;
        double maxValue = 0;
        cv::minMaxLoc(decoded.reshape(1), nullptr, &maxValue);
        decoded.convertTo(eightBit, CV_8U, maxValue > 0 ? 255.0 / maxValue : 1.0);
        decoded = eightBit;
    }
    if (conversion) {
        auto colours = [](int64_t count) { return count == 1 ? std::string("greyscale") : std::string("colour"); };
        const bool resized = decoded.cols != width || decoded.rows != height;
        const bool recoloured = (decoded.channels() == 1) != (channels == 1);
        conversion->clear();
        if (resized || recoloured) {
            *conversion = std::to_string(decoded.cols) + "×" + std::to_string(decoded.rows) + " " + colours(decoded.channels()) +
                          " image → " + std::to_string(width) + "×" + std::to_string(height) + " " + colours(channels) +
                          (resized ? ", resized and centre-cropped" : "");
        }
    }
    const auto fitted = resizeAndCenterCrop(decoded, static_cast<int>(height), static_cast<int>(width));
    return matToTensor(fitted, channels);
}

bool haveImageSupport() { return true; }

}  // namespace sw
