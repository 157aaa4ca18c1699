#pragma once

#include <cstdint>
#include <filesystem>

#include <opencv2/core.hpp>
#include <torch/types.h>

#include "data/ImageFile.h"

namespace sw {

/// The one place where OpenCV and Torch meet. Always copies, never aliases.

/// 8-bit OpenCV image (gray, BGR or BGRA) → uint8 tensor C×H×W with `channels` (1 = gray, 3 = RGB).
torch::Tensor matToTensor(const cv::Mat& image, int64_t channels);

/// uint8 or float [0,1] tensor C×H×W → 8-bit OpenCV image (gray or BGR).
cv::Mat tensorToMat(const torch::Tensor& image);

/// Resizes so the shorter side is the target's, then crops the centre to exactly height×width.
cv::Mat resizeAndCenterCrop(const cv::Mat& image, int height, int width);

}  // namespace sw
