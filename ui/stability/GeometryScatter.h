#pragma once

#include <QByteArray>
#include <QDialog>
#include <QVector>

class QCustomPlot;
class QLabel;

namespace sw::ui {

/// The paper's argument across images, one figure: each scored image's curvature against its RIS, one colour
/// per model, with Spearman's ρ of each model in the legend (docs/GEOMETRY.md). Clicking a point asks for the
/// geometry explorer around that image.
class GeometryScatter : public QDialog {
    Q_OBJECT
public:
    explicit GeometryScatter(QWidget* parent = nullptr);

    /// Forgets every model's points (a new run).
    void clear();
    /// Adds one model's evaluation JSON (docs/METRICS.md) holding per-sample curvature and RIS. Returns an error
    /// message when the document lacks them, or empty.
    QString addEvaluation(const QString& name, const QByteArray& document);
    int modelCount() const { return m_indices.size(); }
    /// The dataset indices of model `model`'s points, in the plot's order (left to right).
    const QVector<qint64>& imageIndices(int model) const { return m_indices[model]; }
    QCustomPlot* plot() const { return m_plot; }
    /// PNG, SVG or PDF by extension; an error message naming the file, or empty.
    QString exportFigure(const QString& path) const;

Q_SIGNALS:
    void imageChosen(qint64 datasetIndex);

private:
    QCustomPlot* m_plot = nullptr;
    QLabel* m_note = nullptr;
    QVector<QVector<qint64>> m_indices;
    int m_leftOut = 0;
};

}  // namespace sw::ui
