#include "widgets/MatImage.h"

namespace sw::ui {

QImage matToQImage(const cv::Mat& image) {
    if (image.empty() || image.depth() != CV_8U) return {};
    switch (image.channels()) {
    case 1:
        return QImage(image.data, image.cols, image.rows, int(image.step), QImage::Format_Grayscale8).copy();
    case 3:
        return QImage(image.data, image.cols, image.rows, int(image.step), QImage::Format_BGR888).copy();
    case 4:
        return QImage(image.data, image.cols, image.rows, int(image.step), QImage::Format_ARGB32).copy();
    default:
        return {};
    }
}

}  // namespace sw::ui
