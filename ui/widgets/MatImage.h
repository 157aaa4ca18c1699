#pragma once

#include <QImage>

#include <opencv2/core.hpp>

namespace sw::ui {

/// An 8-bit grey, BGR or BGRA OpenCV image as a QImage that owns its pixels (a deep copy).
QImage matToQImage(const cv::Mat& image);

}  // namespace sw::ui
