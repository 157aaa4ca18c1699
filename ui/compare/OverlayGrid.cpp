#include "compare/OverlayGrid.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QMenu>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/MatImage.h"
#include "io/OverlayRenderer.h"

namespace sw::ui {

namespace {
constexpr int kColourBarLength = 160;
constexpr int kColourBarThickness = 16;
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
    differenceBox->setToolTip(tr("Right-click two cells to choose A and B; red = A larger, blue = B larger"));
    auto* differenceLayout = new QVBoxLayout(differenceBox);
    m_differenceCell = new OverlayCell(&m_view);
    m_differenceCell->setPending(tr("right-click cells\nto pick A and B"));
    differenceLayout->addWidget(m_differenceCell);
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
        if (bold) label->setStyleSheet("font-weight: bold");
        return label;
    };
    for (int m = 0; m < models; ++m) {
        auto* modelHeader = header(m_modelNames[m] + "\n" + m_modelBadges.value(m), true);
        modelHeader->setMaximumWidth(m_transposed ? m_pictureSide + 8 : 150);
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
    renderAll();
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

void OverlayGrid::setPictureSide(int pixels) {
    m_pictureSide = pixels;
    for (auto* cell : std::as_const(m_cellWidgets)) cell->setPictureSide(pixels);
    m_differenceCell->setPictureSide(pixels);
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
        widget->setPending(tr("cannot explain: %1").arg(data.error));
        widget->setToolTip(data.error);
        return;
    }
    if (data.heatmap.empty() || m_image.empty() || data.heatmap.size() != m_image.size()) return;
    auto style = m_style.heatmap;
    style.scaleMax = m_style.sharedScale ? sharedScaleOf(methodIndex) : scaleOf(indexOf(modelIndex, methodIndex));
    widget->setOverlay(matToQImage(sw::renderOverlay(m_image, data.heatmap, style, 224)));
    ++m_renderCount;
    const bool wrong = m_label >= 0 && data.prediction != m_label;
    widget->setCaption(
        QString("%1 %2 %\nGini %3").arg(data.predictedClass).arg(100.0 * data.confidence, 0, 'f', 0).arg(data.gini, 0, 'f', 2), wrong);
    widget->setToolTip(tr("%1 — %2\nprediction %3 (%4 %)%5\nGini %6")
                           .arg(m_modelNames.value(modelIndex), m_methodNames.value(methodIndex), data.predictedClass)
                           .arg(100.0 * data.confidence, 0, 'f', 1)
                           .arg(wrong ? tr(" — wrong") : QString())
                           .arg(data.gini, 0, 'f', 3));
}

void OverlayGrid::updateColourBar() {
    const auto bar = sw::renderColourBar(m_style.heatmap.colormap, kColourBarLength, kColourBarThickness);
    m_colourBar->setPixmap(QPixmap::fromImage(matToQImage(bar)));
    QStringList lines;
    const QString bottom = m_style.heatmap.isDiverging() ? "−" : "0 …";
    if (m_style.sharedScale) {
        lines << tr("Shared scale per method:");
        for (int k = 0; k < methodCount(); ++k) {
            lines << QString("%1: %2 %3").arg(m_methodNames[k], bottom).arg(sharedScaleOf(k), 0, 'g', 3);
        }
    } else {
        lines << tr("Each cell scaled to its own %1th percentile of |value|").arg(m_style.heatmap.clipPercentile, 0, 'g', 4);
    }
    if (m_style.heatmap.topKPercent < 100) lines << tr("showing the top %1 % of pixels").arg(m_style.heatmap.topKPercent, 0, 'g', 3);
    m_scaleText->setText(lines.join("\n"));
}

void OverlayGrid::chooseDifference(int which, int modelIndex, int methodIndex) {
    const bool valid = modelIndex >= 0 && modelIndex < modelCount() && methodIndex >= 0 && methodIndex < methodCount();
    const int index = valid ? indexOf(modelIndex, methodIndex) : -1;
    (which == 0 ? m_differenceA : m_differenceB) = index;
    for (int i = 0; i < m_cellWidgets.size(); ++i) {
        m_cellWidgets[i]->setSelectedMark(i == m_differenceA ? "A" : i == m_differenceB ? "B" : QString());
    }
    renderDifference();
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

QString OverlayGrid::probeTextAt(QPointF mapPoint) const {
    if (m_image.empty()) return {};
    const int x = std::clamp(int(std::floor(mapPoint.x() * m_image.cols)), 0, m_image.cols - 1);
    const int y = std::clamp(int(std::floor(mapPoint.y() * m_image.rows)), 0, m_image.rows - 1);
    QStringList parts;
    for (int m = 0; m < modelCount(); ++m) {
        for (int k = 0; k < methodCount(); ++k) {
            const auto& heatmap = m_cells[indexOf(m, k)].heatmap;
            if (heatmap.empty()) continue;
            parts << QString("%1/%2 %3").arg(m_modelNames[m], m_methodNames[k]).arg(heatmap.at<float>(y, x), 0, 'g', 3);
        }
    }
    return tr("pixel (%1, %2): ").arg(x).arg(y) + parts.join("  |  ");
}

QImage OverlayGrid::figure() const {
    QImage image(m_figure->size(), QImage::Format_ARGB32);
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    m_figure->render(&painter);
    return image;
}

}  // namespace sw::ui
