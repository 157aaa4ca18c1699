#include "widgets/FittedImageLabel.h"

#include <QPixmap>

namespace sw::ui {

FittedImageLabel::FittedImageLabel(Qt::TransformationMode scaling, QWidget* parent) : QLabel(parent), m_scaling(scaling) {}

void FittedImageLabel::setImage(const QImage& image) {
    m_image = image;
    if (m_image.isNull()) {
        clear();
        return;
    }
    fit();
}

void FittedImageLabel::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    if (!m_image.isNull()) fit();
}

void FittedImageLabel::fit() { setPixmap(QPixmap::fromImage(m_image).scaled(size(), Qt::KeepAspectRatio, m_scaling)); }

}  // namespace sw::ui
