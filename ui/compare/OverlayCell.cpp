#include "compare/OverlayCell.h"

#include <QContextMenuEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sw::ui {

namespace {
constexpr int kCaptionLines = 2;
constexpr int kMargin = 4;
}  // namespace

OverlayCell::OverlayCell(const ViewTransform* view, QWidget* parent) : QWidget(parent), m_view(view) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(tr("Wheel: zoom all cells · drag: pan · double-click: reset · right-click: difference map"));
}

void OverlayCell::setOverlay(const QImage& overlay) {
    m_overlay = overlay;
    update();
}

void OverlayCell::setCaption(const QString& caption, bool highlight) {
    m_caption = caption;
    m_highlight = highlight;
    update();
}

void OverlayCell::setPending(const QString& caption) {
    m_overlay = {};
    m_caption = caption;
    m_highlight = false;
    update();
}

void OverlayCell::setPictureSide(int pixels) {
    m_pictureSide = pixels;
    updateGeometry();
    adjustSize();
    update();
}

void OverlayCell::setSelectedMark(const QString& mark) {
    m_mark = mark;
    update();
}

int OverlayCell::captionWidth() const {
    // Wide enough for the usual second line, so a small picture does not cut its caption short.
    return std::max(m_pictureSide, fontMetrics().horizontalAdvance(QStringLiteral("100 % · Gini 0.00")));
}

QSize OverlayCell::sizeHint() const {
    const int captionHeight = fontMetrics().lineSpacing() * kCaptionLines;
    return {captionWidth() + 2 * kMargin, m_pictureSide + captionHeight + 3 * kMargin};
}

QRect OverlayCell::pictureRect() const { return {kMargin + (captionWidth() - m_pictureSide) / 2, kMargin, m_pictureSide, m_pictureSide}; }

QRectF OverlayCell::sourceRect() const {
    const double side = 1.0 / std::max(1.0, m_view->zoom);
    const double left = std::clamp(m_view->centre.x() - side / 2, 0.0, 1.0 - side);
    const double top = std::clamp(m_view->centre.y() - side / 2, 0.0, 1.0 - side);
    return {left * m_overlay.width(), top * m_overlay.height(), side * m_overlay.width(), side * m_overlay.height()};
}

QPointF OverlayCell::toMapPoint(QPointF widgetPoint) const {
    const QRectF picture = pictureRect();
    const double side = 1.0 / std::max(1.0, m_view->zoom);
    const double left = std::clamp(m_view->centre.x() - side / 2, 0.0, 1.0 - side);
    const double top = std::clamp(m_view->centre.y() - side / 2, 0.0, 1.0 - side);
    return {left + (widgetPoint.x() - picture.left()) / picture.width() * side,
            top + (widgetPoint.y() - picture.top()) / picture.height() * side};
}

void OverlayCell::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QRect picture = pictureRect();
    painter.fillRect(picture, palette().color(QPalette::Mid));
    if (!m_overlay.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);  // keep the map's pixels crisp
        painter.drawImage(QRectF(picture), m_overlay, sourceRect());
    }
    if (!m_mark.isEmpty()) {
        painter.setPen(QPen(Qt::cyan, 3));
        painter.drawRect(picture.adjusted(1, 1, -1, -1));
        painter.fillRect(QRect(picture.topLeft(), QSize(22, 22)), Qt::cyan);
        painter.setPen(Qt::black);
        painter.drawText(QRect(picture.topLeft(), QSize(22, 22)), Qt::AlignCenter, m_mark);
    }
    painter.setPen(m_highlight ? QColor(200, 30, 30) : palette().color(QPalette::WindowText));
    // Each caption line is elided to the picture's width: a small cell never clips "Ankle boot" to "nkle boo".
    // A message longer than its lines (an error) wraps instead, and its tooltip has all of it.
    const QRect caption(kMargin, picture.bottom() + kMargin, captionWidth(), fontMetrics().lineSpacing() * kCaptionLines);
    const QStringList lines = m_caption.split('\n');
    if (lines.size() <= kCaptionLines && !m_overlay.isNull()) {
        QStringList elided;
        for (const auto& line : lines) elided << fontMetrics().elidedText(line, Qt::ElideRight, captionWidth());
        painter.drawText(caption, Qt::AlignHCenter | Qt::AlignTop, elided.join('\n'));
    } else {
        painter.drawText(caption, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_caption);
    }
}

void OverlayCell::mouseMoveEvent(QMouseEvent* event) {
    const QPointF position = event->position();
    if (m_dragging) {
        const QPointF delta = toMapPoint(m_lastDragPoint) - toMapPoint(position);
        m_lastDragPoint = position;
        Q_EMIT panRequested(delta);
        return;
    }
    if (pictureRect().contains(position.toPoint()))
        Q_EMIT hovered(toMapPoint(position));
    else
        Q_EMIT left();
}

void OverlayCell::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_lastDragPoint = event->position();
    }
}

void OverlayCell::mouseReleaseEvent(QMouseEvent*) { m_dragging = false; }

void OverlayCell::mouseDoubleClickEvent(QMouseEvent*) { Q_EMIT resetViewRequested(); }

void OverlayCell::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    Q_EMIT zoomRequested(std::pow(1.25, steps), toMapPoint(event->position()));
    event->accept();
}

void OverlayCell::leaveEvent(QEvent*) { Q_EMIT left(); }

void OverlayCell::contextMenuEvent(QContextMenuEvent* event) { Q_EMIT contextRequested(event->globalPos()); }

}  // namespace sw::ui
