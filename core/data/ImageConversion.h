#pragma once

#include <cstdint>
#include <filesystem>

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace sw {

/// The one place where OpenCV and Torch meet. Always copies, never aliases.

/// 8-bit OpenCV image (gray, BGR or BGRA) → uint8 tensor C×H×W with `channels` (1 = gray, 3 = RGB).
torch::Tensor matToTensor(const cv::Mat& image, int64_t channels);

/// uint8 or float [0,1] tensor C×H×W → 8-bit OpenCV image (gray or BGR).
cv::Mat tensorToMat(const torch::Tensor& image);

/// Resizes so the shorter side is the target's, then crops the centre to exactly height×width.
cv::Mat resizeAndCenterCrop(const cv::Mat& image, int height, int width);

/// Decodes an image file and fits it to channels×height×width (uint8 C×H×W).
/// Throws InputError naming the file when it cannot be decoded.
torch::Tensor loadImageFile(const std::filesystem::path& path, int64_t channels, int64_t height, int64_t width);

/// True for the extensions we try to decode (png, jpg, jpeg, bmp, tif, tiff, webp, pgm, ppm).
bool hasImageExtension(const std::filesystem::path& path);

}  // namespace sw
