#pragma once

#include <QString>
#include <QVector>

#include <vector>

#include "jobs/TimelineRun.h"
#include "qcustomplot.h"

namespace sw::ui {

/// One measure of saliency timelines over training, a line per run, on a log step axis (the snapshots crowd the
/// start, where the maps change most): the Timeline tab's plot and the reproduction report's figure
/// (docs/TIMELINE.md).
class TimelineMeasurePlot : public QCustomPlot {
    Q_OBJECT
public:
    /// A measure the plot can show: id, axis label, and how a snapshot gives it for a method.
    struct Measure {
        const char* id;
        const char* label;
        double (*value)(const sw::TimelineSnapshot& snapshot, const std::string& method);
    };
    /// Gini, RIS, SSIM and held-out accuracy, in the order the Timeline tab offers them.
    static const std::vector<Measure>& measures();

    explicit TimelineMeasurePlot(QWidget* parent = nullptr);

    /// Draws `measureId` ("gini", "ris", "ssim", "accuracy") of `method` for every run; RIS on a log axis, as its
    /// values span orders of magnitude. Unknown ids draw nothing.
    void showMeasure(const std::vector<sw::TimelineRun>& runs, const std::string& method, const QString& measureId);
    /// A dashed line in run `runIndex`'s colour from another source (the training log's accuracy).
    void addReference(const QString& name, const QVector<double>& steps, const QVector<double>& values, int runIndex);
    /// The vertical cursor at `step`.
    void setCursorStep(int64_t step);
    /// Axes and legend in `font` (presentation mode): QCustomPlot keeps its own copies of the font.
    void useFont(const QFont& font);
    /// Where a step sits on the log axis: the untrained model (step 0) at 0.5.
    static double stepCoordinate(double step) { return step < 0.5 ? 0.5 : step; }

private:
    QCPItemStraightLine* m_cursor = nullptr;
};

}  // namespace sw::ui
