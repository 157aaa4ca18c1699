#pragma once

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QTimer;

namespace sw::ui {

/// Live loss and training-accuracy curves of one run. Points are buffered as they arrive and the plot is
/// redrawn on a timer (4 Hz), never once per batch.
class TrainingPlot : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPlot(QWidget* parent = nullptr);

    void clear();
    /// The accuracy curve's name ("train accuracy (on adversarial examples)" when it is).
    void setAccuracyLabel(const QString& label);
    QString accuracyLabel() const;
    void addPoint(double step, double loss, double accuracy);
    int pointCount() const { return m_points; }
    /// A saliency-timeline snapshot (docs/TIMELINE.md): held-out accuracy and Gini, drawn on the accuracy axis
    /// (both lie in [0, 1]); the two curves join the legend with their first point.
    void addTimelinePoint(double step, double heldOutAccuracy, double gini, const QString& giniLabel);
    int timelinePointCount() const { return m_timelinePoints; }
    QCustomPlot* plot() const { return m_plot; }

private:
    void redrawIfChanged();

    QCustomPlot* m_plot = nullptr;
    QCPGraph* m_loss = nullptr;
    QCPGraph* m_accuracy = nullptr;
    QCPGraph* m_heldOutAccuracy = nullptr;
    QCPGraph* m_gini = nullptr;
    int m_timelinePoints = 0;
    QTimer* m_redrawTimer = nullptr;
    bool m_dirty = false;
    int m_points = 0;
};

}  // namespace sw::ui
