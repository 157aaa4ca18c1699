#pragma once

#include <QImage>
#include <QLabel>

namespace sw::ui {

/// A label that shows an image as large as fits inside it, keeping the aspect ratio, and fits it again whenever the
/// label is resized: a pixmap scaled once goes stale when the layout later moves, and is then clipped at both ends.
/// Until an image is set it is a plain label (a placeholder text, say).
class FittedImageLabel : public QLabel {
    Q_OBJECT
public:
    /// `scaling`: Qt::SmoothTransformation where the image shrinks a lot (thin text and map pixels would drop out),
    /// Qt::FastTransformation where pixels should stay crisp.
    explicit FittedImageLabel(Qt::TransformationMode scaling, QWidget* parent = nullptr);

    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fit();

    Qt::TransformationMode m_scaling;
    QImage m_image;
};

}  // namespace sw::ui
