#pragma once

#include <QLabel>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <opencv2/core.hpp>

#include "compare/OverlayCell.h"
#include "io/HeatmapStyle.h"
#include "jobs/CompareSession.h"

class QGridLayout;
class QScrollArea;

namespace sw::ui {

/// A finished map and what the model said about the image, as the grid keeps it between style changes.
struct GridCellData {
    cv::Mat heatmap;  ///< CV_32F H×W; empty while pending or after an error
    qint64 prediction = -1;
    double confidence = 0.0;
    QString predictedClass;
    double gini = 0.0;
    QString error;
    double scale = 0.0;  ///< cached heatmapScale at scalePercentile (the GUI thread sorts each map once)
    double scalePercentile = -1.0;

    /// What the grid keeps of a finished compare cell.
    static GridCellData from(const sw::CompareCell& cell);
};

/// How the grid draws its maps. Changing it re-renders the kept maps; nothing is recomputed.
struct GridStyle {
    sw::HeatmapStyle heatmap;
    bool sharedScale = false;  ///< one scale per method across models (same units), else each cell its own
};

/// The compare grid: rows = models, columns = methods (or transposed), a colour bar, a pixel probe and a
/// difference map between two chosen cells. Pure presentation: it is fed finished maps.
class OverlayGrid : public QWidget {
    Q_OBJECT
public:
    explicit OverlayGrid(QWidget* parent = nullptr);

    /// Clears the grid and lays out models × methods pending cells.
    void setLayoutOf(const QStringList& modelNames, const QStringList& modelBadges, const QStringList& methodNames);
    void setImage(const cv::Mat& pixels, qint64 label, const QString& caption);
    /// Forgets the maps of the previous image (their pictures stay until the new ones arrive, so the noise
    /// slider does not flicker), so that scales, the probe and the difference never mix two images.
    void beginNewImage();
    void setCell(int modelIndex, int methodIndex, const GridCellData& data);
    void setStyle(const GridStyle& style);
    void setTransposed(bool transposed);
    /// The largest side a cell's picture grows to. Cells shrink to fit the grid's area down to
    /// kMinimumPictureSide, and only then does the grid scroll.
    void setMaximumPictureSide(int pixels);
    int pictureSide() const { return m_pictureSide; }
    static constexpr int kMinimumPictureSide = 96;
    void resetView();

    int modelCount() const { return m_modelNames.size(); }
    int methodCount() const { return m_methodNames.size(); }
    const GridCellData& cell(int modelIndex, int methodIndex) const;
    const OverlayCell* cellWidget(int modelIndex, int methodIndex) const;
    int readyCellCount() const;
    /// The scrolling area the figure lives in: what the cells can grow into.
    const QWidget* picturesArea() const;
    /// How many times the maps were turned into pictures (for tests: style changes re-render, not recompute).
    int renderCount() const { return m_renderCount; }
    /// Picks the cells of the difference map A − B (−1, −1 clears).
    void chooseDifference(int which, int modelIndex, int methodIndex);
    const OverlayCell* differenceCell() const { return m_differenceCell; }
    /// The (model, method) indices of difference cell A (0) or B (1); (−1, −1) when not chosen.
    QPoint differenceChoice(int which) const;
    /// The probe text for a map position in [0, 1]²: every cell's value at that pixel.
    QString probeTextAt(QPointF mapPoint) const;
    /// One cell's overlay alone, at least `side` pixels on its short side (an integer multiple of the map's,
    /// nearest-neighbour, so the map's pixels stay crisp),
    /// with the scale the grid shows it with; a null image while the cell has no map.
    QImage cellImage(int modelIndex, int methodIndex, int side);
    QString modelName(int modelIndex) const { return m_modelNames.value(modelIndex); }
    QString methodName(int methodIndex) const { return m_methodNames.value(methodIndex); }
    /// The grid (headers, cells and colour bar) drawn into an image, for export.
    QImage figure() const;
    QWidget* figureWidget() const { return m_figure; }
    /// The image the maps are drawn over (8-bit), and the style they are drawn with.
    const cv::Mat& image() const { return m_image; }
    const GridStyle& style() const { return m_style; }

Q_SIGNALS:
    void probeChanged(const QString& text);
    /// A cell's context menu asked for the local-geometry explorer around the image, for that cell's method.
    void exploreRequested(int modelIndex, int methodIndex);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void fitPictureSide();
    void applyPictureSide(int pixels);
    void showDifferenceMarks();
    int indexOf(int modelIndex, int methodIndex) const { return modelIndex * int(m_methodNames.size()) + methodIndex; }
    void rebuildLayout();
    void renderAll();
    void renderCell(int modelIndex, int methodIndex);
    void renderDifference();
    void updateColourBar();
    double sharedScaleOf(int methodIndex);
    double scaleOf(int cellIndex);
    void connectCell(OverlayCell* cell, int modelIndex, int methodIndex);

    QStringList m_modelNames, m_modelBadges, m_methodNames;
    QVector<GridCellData> m_cells;
    QVector<OverlayCell*> m_cellWidgets;
    cv::Mat m_image;
    qint64 m_label = -1;
    GridStyle m_style;
    bool m_transposed = false;
    int m_pictureSide = 160;
    int m_maximumPictureSide = 224;
    int m_renderCount = 0;
    int m_differenceA = -1, m_differenceB = -1;  ///< cell indices
    ViewTransform m_view;

    QScrollArea* m_scroll = nullptr;
    QWidget* m_figure = nullptr;  ///< headers + cells, what export draws
    QGridLayout* m_cellLayout = nullptr;
    QLabel* m_imageCaption = nullptr;
    QLabel* m_colourBar = nullptr;
    QLabel* m_scaleText = nullptr;
    OverlayCell* m_differenceCell = nullptr;
    QWidget* m_differenceBox = nullptr;
    QLabel* m_differenceLegend = nullptr;
};

}  // namespace sw::ui
