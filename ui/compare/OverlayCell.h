#pragma once

#include <QImage>
#include <QPointF>
#include <QWidget>

namespace sw::ui {

/// Zoom and pan shared by every cell of a grid, so that all maps show the same region.
struct ViewTransform {
    double zoom = 1.0;         ///< 1 = the whole map fits the cell
    QPointF centre{0.5, 0.5};  ///< in map coordinates, [0, 1]²
};

/// One picture of the compare grid: an overlay image drawn with the grid's shared view, and a caption.
/// It only paints; the grid decides what it shows.
class OverlayCell : public QWidget {
    Q_OBJECT
public:
    OverlayCell(const ViewTransform* view, QWidget* parent = nullptr);

    void setOverlay(const QImage& overlay);
    void setCaption(const QString& caption, bool highlight = false);
    void setPending(const QString& caption);
    void setPictureSide(int pixels);
    void setSelectedMark(const QString& mark);  ///< "A" or "B" for the difference map, empty = none
    bool hasOverlay() const { return !m_overlay.isNull(); }
    const QImage& overlay() const { return m_overlay; }
    QRect pictureRect() const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void hovered(QPointF mapPoint);  ///< cursor position in map coordinates, [0, 1]²
    void left();
    void zoomRequested(double factor, QPointF mapPoint);
    void panRequested(QPointF mapDelta);
    void resetViewRequested();
    void contextRequested(QPoint globalPosition);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QPointF toMapPoint(QPointF widgetPoint) const;
    QRectF sourceRect() const;  ///< the part of the overlay the view shows, in overlay pixels
    int captionWidth() const;   ///< the picture's width, or more when the caption needs it

    const ViewTransform* m_view;
    QImage m_overlay;
    QString m_caption;
    QString m_mark;
    bool m_highlight = false;
    int m_pictureSide = 160;
    bool m_dragging = false;
    QPointF m_lastDragPoint;
};

}  // namespace sw::ui
