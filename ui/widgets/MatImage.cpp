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

cv::Mat qImageToMat(const QImage& image) {
    const QImage rgb = image.convertToFormat(QImage::Format_BGR888);
    const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()), size_t(rgb.bytesPerLine()));
    return view.clone();
}

}  // namespace sw::ui
