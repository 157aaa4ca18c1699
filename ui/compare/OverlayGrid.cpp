#include "compare/OverlayGrid.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/MatImage.h"
#include "io/OverlayRenderer.h"

namespace sw::ui {

namespace {
constexpr int kColourBarLength = 160;
constexpr int kColourBarThickness = 16;
constexpr int kModelHeaderWidth = 150;

/// The colour bar with tick labels at its top, middle and bottom, drawn in the widget's font so that it
/// grows with presentation mode. `top` is the value at the top of the bar (1 when each cell has its own scale).
QPixmap colourBarWithTicks(const sw::HeatmapStyle& style, double top, const QFont& font) {
    const QImage bar = matToQImage(sw::renderColourBar(style.colormap, kColourBarLength, kColourBarThickness));
    const QFontMetrics metrics(font);
    auto tick = [](double value) { return value == 0.0 ? QString("0") : QString::number(value, 'g', 3).replace('-', QChar(0x2212)); };
    const double bottom = style.isDiverging() ? -top : 0.0;
    const QStringList labels = {tick(top), tick((top + bottom) / 2), tick(bottom)};
    int labelWidth = 0;
    for (const auto& label : labels) labelWidth = std::max(labelWidth, metrics.horizontalAdvance(label));
    const int half = metrics.height() / 2 + 1;
    QPixmap pixmap(kColourBarThickness + 6 + labelWidth + 2, kColourBarLength + 2 * half);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setFont(font);
    painter.drawImage(QPoint(0, half), bar);
    painter.setPen(QColor(60, 60, 60));
    for (int i = 0; i < 3; ++i) {
        const int y = half + i * (kColourBarLength - 1) / 2;
        painter.drawLine(kColourBarThickness, y, kColourBarThickness + 4, y);
        painter.drawText(QRect(kColourBarThickness + 6, y - half, labelWidth + 2, 2 * half), Qt::AlignLeft | Qt::AlignVCenter, labels[i]);
    }
    return pixmap;
}
}  // namespace

GridCellData GridCellData::from(const sw::CompareCell& cell) {
    GridCellData data;
    data.heatmap = cell.heatmap;
    data.prediction = cell.prediction;
    data.confidence = cell.confidence;
    data.predictedClass = QString::fromStdString(cell.predictedClass);
    data.gini = cell.gini;
    data.error = QString::fromStdString(cell.error);
    return data;
}

OverlayGrid::OverlayGrid(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_figure = new QWidget;
    m_figure->setAutoFillBackground(true);
    auto* figureLayout = new QVBoxLayout(m_figure);
    m_imageCaption = new QLabel;
    m_imageCaption->setAlignment(Qt::AlignLeft);
    figureLayout->addWidget(m_imageCaption);
    auto* cellsAndBar = new QHBoxLayout;
    m_cellLayout = new QGridLayout;
    m_cellLayout->setSpacing(4);
    cellsAndBar->addLayout(m_cellLayout);
    auto* barColumn = new QVBoxLayout;
    m_colourBar = new QLabel;
    m_colourBar->setToolTip(tr("Colour scale: the top of the bar is the scale's maximum |attribution|"));
    m_scaleText = new QLabel;
    m_scaleText->setWordWrap(true);
    m_scaleText->setMaximumWidth(180);
    m_scaleText->setObjectName("scaleText");
    barColumn->addWidget(m_colourBar);
    barColumn->addWidget(m_scaleText);
    barColumn->addStretch();
    cellsAndBar->addLayout(barColumn);
    cellsAndBar->addStretch();
    figureLayout->addLayout(cellsAndBar);
    figureLayout->addStretch();

    m_scroll = new QScrollArea;
    m_scroll->setWidget(m_figure);
    m_scroll->setWidgetResizable(true);
    layout->addWidget(m_scroll, 1);

    auto* differenceBox = new QGroupBox(tr("Difference A − B"));
    m_differenceBox = differenceBox;
    differenceBox->setToolTip(tr("Right-click two cells to choose A and B; red = A larger, blue = B larger"));
    auto* differenceLayout = new QVBoxLayout(differenceBox);
    m_differenceCell = new OverlayCell(&m_view);
    m_differenceCell->setPending(tr("right-click cells\nto pick A and B"));
    differenceLayout->addWidget(m_differenceCell);
    m_differenceLegend =
        new QLabel(tr("<span style='color:#ff0000'>■</span> A larger<br>"
                      "<span style='color:#0000ff'>■</span> B larger"));
    m_differenceLegend->setObjectName("differenceLegend");
    differenceLayout->addWidget(m_differenceLegend);
    differenceLayout->addStretch();
    layout->addWidget(differenceBox);
    updateColourBar();
}

void OverlayGrid::setLayoutOf(const QStringList& modelNames, const QStringList& modelBadges, const QStringList& methodNames) {
    m_modelNames = modelNames;
    m_modelBadges = modelBadges;
    m_methodNames = methodNames;
    m_cells = QVector<GridCellData>(modelNames.size() * methodNames.size());
    m_differenceA = m_differenceB = -1;
    rebuildLayout();
    renderDifference();
}

void OverlayGrid::rebuildLayout() {
    while (auto* item = m_cellLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_cellWidgets.clear();
    const int models = m_modelNames.size();
    const int methods = m_methodNames.size();
    m_cellWidgets.resize(models * methods);
    auto header = [](const QString& text, bool bold) {
        auto* label = new QLabel(text);
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        if (bold) {
            // Only the weight is set, so the size still follows the application (presentation mode).
            QFont font;
            font.setBold(true);
            label->setFont(font);
        }
        return label;
    };
    for (int m = 0; m < models; ++m) {
        // Zero-width spaces let long names and badges ("adv-eps0.1-gaussian", "gaussian@pool1") wrap.
        QString text = m_modelNames[m] + "\n" + m_modelBadges.value(m);
        text.replace("@", "@\u200b").replace("-", "-\u200b").replace("_", "_\u200b");
        auto* modelHeader = header(text, true);
        modelHeader->setMaximumWidth(m_transposed ? m_pictureSide + 8 : kModelHeaderWidth);
        modelHeader->setToolTip(m_modelNames[m] + "\n" + m_modelBadges.value(m));
        if (m_transposed)
            m_cellLayout->addWidget(modelHeader, 0, m + 1);
        else
            m_cellLayout->addWidget(modelHeader, m + 1, 0);
    }
    for (int k = 0; k < methods; ++k) {
        auto* methodHeader = header(m_methodNames[k], true);
        if (m_transposed)
            m_cellLayout->addWidget(methodHeader, k + 1, 0);
        else
            m_cellLayout->addWidget(methodHeader, 0, k + 1);
    }
    for (int m = 0; m < models; ++m) {
        for (int k = 0; k < methods; ++k) {
            auto* cell = new OverlayCell(&m_view);
            cell->setPictureSide(m_pictureSide);
            cell->setPending(tr("computing…"));
            m_cellWidgets[indexOf(m, k)] = cell;
            connectCell(cell, m, k);
            if (m_transposed)
                m_cellLayout->addWidget(cell, k + 1, m + 1);
            else
                m_cellLayout->addWidget(cell, m + 1, k + 1);
        }
    }
    showDifferenceMarks();
    renderAll();
    fitPictureSide();
}

void OverlayGrid::connectCell(OverlayCell* cell, int modelIndex, int methodIndex) {
    connect(cell, &OverlayCell::hovered, this, [this](QPointF point) { Q_EMIT probeChanged(probeTextAt(point)); });
    connect(cell, &OverlayCell::left, this, [this] { Q_EMIT probeChanged({}); });
    connect(cell, &OverlayCell::zoomRequested, this, [this](double factor, QPointF anchor) {
        const double zoom = std::clamp(m_view.zoom * factor, 1.0, 16.0);
        // Zoom about the cursor: move the centre towards it as far as the zoom really changed, then keep
        // the view inside the map.
        const QPointF centre = anchor + (m_view.centre - anchor) * (m_view.zoom / zoom);
        const double half = 0.5 / zoom;
        m_view.zoom = zoom;
        m_view.centre = {std::clamp(centre.x(), half, 1.0 - half), std::clamp(centre.y(), half, 1.0 - half)};
        for (auto* each : std::as_const(m_cellWidgets)) each->update();
        m_differenceCell->update();
    });
    connect(cell, &OverlayCell::panRequested, this, [this](QPointF delta) {
        const double half = 0.5 / m_view.zoom;
        m_view.centre = {std::clamp(m_view.centre.x() + delta.x(), half, 1.0 - half),
                         std::clamp(m_view.centre.y() + delta.y(), half, 1.0 - half)};
        for (auto* each : std::as_const(m_cellWidgets)) each->update();
        m_differenceCell->update();
    });
    connect(cell, &OverlayCell::resetViewRequested, this, &OverlayGrid::resetView);
    connect(cell, &OverlayCell::contextRequested, this, [this, modelIndex, methodIndex](QPoint globalPosition) {
        // popup(), not exec(): no nested event loop, so a relayout while the menu is open cannot pull the
        // cell out from under it. The indices are checked again when an action fires.
        auto* menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addAction(tr("Use as A of the difference map"), this, [=] { chooseDifference(0, modelIndex, methodIndex); });
        menu->addAction(tr("Use as B of the difference map"), this, [=] { chooseDifference(1, modelIndex, methodIndex); });
        menu->addAction(tr("Clear the difference map"), this, [=] {
            chooseDifference(0, -1, -1);
            chooseDifference(1, -1, -1);
        });
        menu->addSeparator();
        menu->addAction(tr("Explore around this image…"), this, [this, modelIndex, methodIndex] {
            if (modelIndex < modelCount() && methodIndex < methodCount()) Q_EMIT exploreRequested(modelIndex, methodIndex);
        });
        const int index = indexOf(modelIndex, methodIndex);
        if (index < m_cells.size() && !m_cells[index].error.isEmpty()) {
            menu->addSeparator();
            menu->addAction(tr("Why this cell failed…"), this, [this, index] {
                if (index >= m_cells.size()) return;
                const QString error = m_cells[index].error;
                auto* box = new QMessageBox(QMessageBox::Information, tr("Cannot explain"), error.section(sw::kErrorDetailsMarker, 0, 0),
                                            QMessageBox::Ok, this);
                box->setDetailedText(error.section(sw::kErrorDetailsMarker, 1));
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
        }
        menu->popup(globalPosition);
    });
}

void OverlayGrid::resetView() {
    m_view = {};
    for (auto* cell : std::as_const(m_cellWidgets)) cell->update();
    m_differenceCell->update();
}

void OverlayGrid::setImage(const cv::Mat& pixels, qint64 label, const QString& caption) {
    m_image = pixels.clone();
    m_label = label;
    m_imageCaption->setText(caption);
}

void OverlayGrid::beginNewImage() {
    for (int i = 0; i < m_cells.size(); ++i) {
        m_cells[i] = GridCellData{};
        if (m_cellWidgets.value(i)) m_cellWidgets[i]->setCaption(tr("updating…"));
    }
    renderDifference();
}

double OverlayGrid::scaleOf(int cellIndex) {
    auto& cell = m_cells[cellIndex];
    const double percentile = m_style.heatmap.clipPercentile;
    if (cell.scalePercentile != percentile) {
        cell.scale = sw::heatmapScale(cell.heatmap, percentile);
        cell.scalePercentile = percentile;
    }
    return cell.scale;
}

void OverlayGrid::setCell(int modelIndex, int methodIndex, const GridCellData& data) {
    if (modelIndex < 0 || modelIndex >= modelCount() || methodIndex < 0 || methodIndex >= methodCount()) return;
    m_cells[indexOf(modelIndex, methodIndex)] = data;
    // A shared scale may change with every new map of the column, so the whole column is redrawn.
    if (m_style.sharedScale) {
        for (int m = 0; m < modelCount(); ++m) renderCell(m, methodIndex);
    } else {
        renderCell(modelIndex, methodIndex);
    }
    updateColourBar();
    renderDifference();
}

const GridCellData& OverlayGrid::cell(int modelIndex, int methodIndex) const { return m_cells[indexOf(modelIndex, methodIndex)]; }

const OverlayCell* OverlayGrid::cellWidget(int modelIndex, int methodIndex) const {
    return m_cellWidgets.value(indexOf(modelIndex, methodIndex), nullptr);
}

int OverlayGrid::readyCellCount() const {
    return int(std::count_if(m_cells.begin(), m_cells.end(), [](const GridCellData& cell) { return !cell.heatmap.empty(); }));
}

void OverlayGrid::setStyle(const GridStyle& style) {
    m_style = style;
    renderAll();
}

void OverlayGrid::setTransposed(bool transposed) {
    if (m_transposed == transposed) return;
    m_transposed = transposed;
    rebuildLayout();
}

void OverlayGrid::setMaximumPictureSide(int pixels) {
    m_maximumPictureSide = std::max(pixels, kMinimumPictureSide);
    fitPictureSide();
}

void OverlayGrid::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitPictureSide();
}

void OverlayGrid::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    // Presentation mode changes the application's font: the tick labels and the cells' captions grow.
    if (event->type() == QEvent::FontChange) {
        updateColourBar();
        fitPictureSide();
    }
}

void OverlayGrid::applyPictureSide(int pixels) {
    m_pictureSide = pixels;
    for (auto* cell : std::as_const(m_cellWidgets)) cell->setPictureSide(pixels);
    m_differenceCell->setPictureSide(pixels);
    for (int i = 0; i < m_cellLayout->count(); ++i) {
        auto* header = qobject_cast<QLabel*>(m_cellLayout->itemAt(i)->widget());
        if (header && m_transposed) header->setMaximumWidth(pixels + 8);
    }
    m_figure->layout()->activate();
}

void OverlayGrid::fitPictureSide() {
    const int columns = int(m_transposed ? m_modelNames.size() : m_methodNames.size());
    const int rows = int(m_transposed ? m_methodNames.size() : m_modelNames.size());
    if (columns == 0 || rows == 0 || m_cellWidgets.isEmpty()) return;
    // Everything but the pictures has a size of its own: add it up from the parts' own size hints (the
    // layouts' cached hints lag behind a change of side), then give the pictures what is left. The
    // difference cell beside the scroll area takes one more column.
    const int side = m_pictureSide;
    const QSize cellChrome = m_cellWidgets.front()->sizeHint() - QSize(side, side);
    const int spacing = m_cellLayout->spacing();
    int headerColumn = 0, headerRow = 0;
    for (int i = 0; i < m_cellLayout->count(); ++i) {
        auto* header = qobject_cast<QLabel*>(m_cellLayout->itemAt(i)->widget());
        if (!header) continue;
        int row = 0, column = 0, rowSpan = 0, columnSpan = 0;
        m_cellLayout->getItemPosition(i, &row, &column, &rowSpan, &columnSpan);
        const int width = std::min(header->sizeHint().width(), header->maximumWidth());
        if (column == 0) headerColumn = std::max(headerColumn, width);
        if (row == 0)
            headerRow =
                std::max(headerRow, header->heightForWidth(width) > 0 ? header->heightForWidth(width) : header->sizeHint().height());
    }
    const QMargins figureMargins = m_figure->layout()->contentsMargins();
    const int figureSpacing = m_figure->layout()->spacing();
    const int bar = std::max(m_colourBar->sizeHint().width(), m_scaleText->sizeHint().width()) + figureSpacing;
    const int frame = 2 * m_scroll->frameWidth() + 2;
    const QMargins boxMargins = m_differenceBox->layout()->contentsMargins();
    const int difference = cellChrome.width() + boxMargins.left() + boxMargins.right() + 4 + layout()->spacing();
    const int fixedWidth = figureMargins.left() + figureMargins.right() + headerColumn + (columns + 1) * spacing +
                           columns * cellChrome.width() + bar + frame + difference;
    const int fixedHeight = figureMargins.top() + figureMargins.bottom() + m_imageCaption->sizeHint().height() + figureSpacing + headerRow +
                            (rows + 1) * spacing + rows * cellChrome.height() + frame;
    const int fitsWidth = (width() - fixedWidth) / (columns + 1);
    const int fitsHeight = (height() - fixedHeight) / rows;
    int fitted = std::clamp(std::min(fitsWidth, fitsHeight), kMinimumPictureSide, m_maximumPictureSide);
    if (fitted != side) applyPictureSide(fitted);
    // What the sum leaves out (fonts, styles, wrapped labels) shows as overflow once laid out: take it off
    // the pictures. The scroll area asks the figure for its height at the viewport's width, as here.
    for (int attempt = 0; attempt < 3 && fitted > kMinimumPictureSide; ++attempt) {
        const QSize viewport = m_scroll->maximumViewportSize();
        const QSize hint = m_figure->sizeHint();
        const int neededHeight = m_figure->hasHeightForWidth() ? m_figure->heightForWidth(viewport.width()) : hint.height();
        // A few pixels of slack: the hint trails the layout by a step (scroll bars appear for a pixel or two).
        constexpr int kSlack = 8;
        const int excess = std::max((hint.width() + kSlack - viewport.width() + columns - 1) / columns,
                                    (neededHeight + kSlack - viewport.height() + rows - 1) / rows);
        if (excess <= 0) break;
        fitted = std::max(kMinimumPictureSide, fitted - excess);
        applyPictureSide(fitted);
    }
}

double OverlayGrid::sharedScaleOf(int methodIndex) {
    double scale = 0.0;
    for (int m = 0; m < modelCount(); ++m) {
        const auto& heatmap = m_cells[indexOf(m, methodIndex)].heatmap;
        if (!heatmap.empty()) scale = std::max(scale, scaleOf(indexOf(m, methodIndex)));
    }
    return scale > 0 ? scale : 1.0;
}

void OverlayGrid::renderAll() {
    for (int m = 0; m < modelCount(); ++m) {
        for (int k = 0; k < methodCount(); ++k) renderCell(m, k);
    }
    updateColourBar();
    renderDifference();
}

void OverlayGrid::renderCell(int modelIndex, int methodIndex) {
    auto* widget = m_cellWidgets.value(indexOf(modelIndex, methodIndex), nullptr);
    if (!widget) return;
    const auto& data = m_cells[indexOf(modelIndex, methodIndex)];
    if (!data.error.isEmpty()) {
        const QString sentence = data.error.section(sw::kErrorDetailsMarker, 0, 0);
        widget->setPending(tr("cannot explain: %1").arg(sentence));
        widget->setToolTip(sentence + (sentence != data.error ? tr("\n(right-click for the details)") : QString()));
        return;
    }
    if (data.heatmap.empty() || m_image.empty() || data.heatmap.size() != m_image.size()) return;
    auto style = m_style.heatmap;
    style.scaleMax = m_style.sharedScale ? sharedScaleOf(methodIndex) : scaleOf(indexOf(modelIndex, methodIndex));
    widget->setOverlay(matToQImage(sw::renderOverlay(m_image, data.heatmap, style, 224)));
    ++m_renderCount;
    const bool wrong = m_label >= 0 && data.prediction != m_label;
    widget->setCaption(
        QString("%1\n%2 % · Gini %3").arg(data.predictedClass).arg(100.0 * data.confidence, 0, 'f', 0).arg(data.gini, 0, 'f', 2), wrong);
    widget->setToolTip(tr("%1 — %2\nprediction %3 (%4 %)%5\nGini %6")
                           .arg(m_modelNames.value(modelIndex), m_methodNames.value(methodIndex), data.predictedClass)
                           .arg(100.0 * data.confidence, 0, 'f', 1)
                           .arg(wrong ? tr(" — wrong") : QString())
                           .arg(data.gini, 0, 'f', 3));
}

QImage OverlayGrid::cellImage(int modelIndex, int methodIndex, int side) {
    if (modelIndex < 0 || modelIndex >= modelCount() || methodIndex < 0 || methodIndex >= methodCount()) return {};
    const auto& data = m_cells[indexOf(modelIndex, methodIndex)];
    if (data.heatmap.empty() || m_image.empty() || data.heatmap.size() != m_image.size()) return {};
    auto style = m_style.heatmap;
    style.scaleMax = m_style.sharedScale ? sharedScaleOf(methodIndex) : scaleOf(indexOf(modelIndex, methodIndex));
    return matToQImage(sw::renderOverlay(m_image, data.heatmap, style, side));
}

void OverlayGrid::updateColourBar() {
    // Real values on the ticks when one scale holds for the whole grid; otherwise fractions of each scale.
    const bool oneScale = m_style.sharedScale && methodCount() == 1;
    m_colourBar->setPixmap(colourBarWithTicks(m_style.heatmap, oneScale ? sharedScaleOf(0) : 1.0, font()));
    QStringList lines;
    const QString bottom = m_style.heatmap.isDiverging() ? "−" : "0 …";
    if (m_style.sharedScale) {
        lines << (methodCount() == 1 ? tr("Shared scale:") : tr("Ticks: fractions of each method's shared scale:"));
        for (int k = 0; k < methodCount(); ++k) {
            lines << QString("%1: %2 %3").arg(m_methodNames[k], bottom).arg(sharedScaleOf(k), 0, 'g', 3);
        }
    } else {
        lines << tr("Ticks: fractions of each cell's own scale, its %1th percentile of |value|")
                     .arg(m_style.heatmap.clipPercentile, 0, 'g', 4);
    }
    if (m_style.heatmap.topKPercent < 100) lines << tr("showing the top %1 % of pixels").arg(m_style.heatmap.topKPercent, 0, 'g', 3);
    m_scaleText->setText(lines.join("\n"));
}

void OverlayGrid::chooseDifference(int which, int modelIndex, int methodIndex) {
    const bool valid = modelIndex >= 0 && modelIndex < modelCount() && methodIndex >= 0 && methodIndex < methodCount();
    const int index = valid ? indexOf(modelIndex, methodIndex) : -1;
    (which == 0 ? m_differenceA : m_differenceB) = index;
    showDifferenceMarks();
    renderDifference();
}

QPoint OverlayGrid::differenceChoice(int which) const {
    const int index = which == 0 ? m_differenceA : m_differenceB;
    if (index < 0 || methodCount() == 0) return {-1, -1};
    return {index / int(methodCount()), index % int(methodCount())};
}

void OverlayGrid::showDifferenceMarks() {
    for (int i = 0; i < m_cellWidgets.size(); ++i) {
        m_cellWidgets[i]->setSelectedMark(i == m_differenceA ? "A" : i == m_differenceB ? "B" : QString());
    }
}

void OverlayGrid::renderDifference() {
    const bool chosen = m_differenceA >= 0 && m_differenceB >= 0 && m_differenceA < m_cells.size() && m_differenceB < m_cells.size();
    if (!chosen) {
        m_differenceCell->setPending(tr("right-click cells\nto pick A and B"));
        return;
    }
    const auto& a = m_cells[m_differenceA];
    const auto& b = m_cells[m_differenceB];
    if (a.heatmap.empty() || b.heatmap.empty() || m_image.empty()) {
        m_differenceCell->setPending(tr("waiting for A and B"));
        return;
    }
    // Each map is first divided by its own scale, so maps of different methods can be compared.
    const double clip = m_style.heatmap.clipPercentile;
    const cv::Mat difference =
        sw::heatmapDifference(a.heatmap / sw::heatmapScale(a.heatmap, clip), b.heatmap / sw::heatmapScale(b.heatmap, clip));
    sw::HeatmapStyle style = m_style.heatmap;
    style.colormap = "diverging";
    style.scaleMax = 1.0;
    style.topKPercent = 100.0;
    m_differenceCell->setOverlay(matToQImage(sw::renderOverlay(m_image, difference, style, 224)));
    m_differenceCell->setCaption(tr("mean |A − B| = %1 (each map scaled to 1)").arg(cv::mean(cv::abs(difference))[0], 0, 'f', 3));
}

const QWidget* OverlayGrid::picturesArea() const { return m_scroll->viewport(); }

QString OverlayGrid::probeTextAt(QPointF mapPoint) const {
    if (m_image.empty()) return {};
    const int x = std::clamp(int(std::floor(mapPoint.x() * m_image.cols)), 0, m_image.cols - 1);
    const int y = std::clamp(int(std::floor(mapPoint.y() * m_image.rows)), 0, m_image.rows - 1);
    QStringList parts;
    for (int m = 0; m < modelCount(); ++m) {
        for (int k = 0; k < methodCount(); ++k) {
            const auto& heatmap = m_cells[indexOf(m, k)].heatmap;
            if (heatmap.empty()) continue;
            // The value as the cell shows it: its magnitude, unless the grid shows signed maps.
            const double value = heatmap.at<float>(y, x);
            parts << QString("%1/%2 %3")
                         .arg(m_modelNames[m], m_methodNames[k])
                         .arg(m_style.heatmap.isDiverging() ? value : std::abs(value), 0, 'g', 3);
        }
    }
    return (m_style.heatmap.isDiverging() ? tr("pixel (%1, %2), signed: ") : tr("pixel (%1, %2), |value|: ")).arg(x).arg(y) +
           parts.join("  ·  ");
}

QImage OverlayGrid::figure() const {
    QImage image(m_figure->size(), QImage::Format_ARGB32);
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    m_figure->render(&painter);
    return image;
}

}  // namespace sw::ui
