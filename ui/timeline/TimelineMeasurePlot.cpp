#include "timeline/TimelineMeasurePlot.h"

#include <algorithm>
#include <cmath>

#include "widgets/SeriesColour.h"

namespace sw::ui {

const std::vector<TimelineMeasurePlot::Measure>& TimelineMeasurePlot::measures() {
    static const std::vector<Measure> rows = {
        {"gini", QT_TR_NOOP("Sparseness (Gini)"),
         [](const sw::TimelineSnapshot& s, const std::string& m) { return s.measures.at(m).gini; }},
        {"ris", QT_TR_NOOP("RIS (lower is steadier)"),
         [](const sw::TimelineSnapshot& s, const std::string& m) { return s.measures.at(m).ris; }},
        {"ssim", QT_TR_NOOP("SSIM clean vs noisy"),
         [](const sw::TimelineSnapshot& s, const std::string& m) { return s.measures.at(m).ssim; }},
        {"accuracy", QT_TR_NOOP("Held-out accuracy"), [](const sw::TimelineSnapshot& s, const std::string&) { return s.heldOutAccuracy; }},
    };
    return rows;
}

TimelineMeasurePlot::TimelineMeasurePlot(QWidget* parent) : QCustomPlot(parent) {
    xAxis->setLabel(tr("training step (log scale; the untrained model at 0.5)"));
    xAxis->setScaleType(QCPAxis::stLogarithmic);
    xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);  // the curves end on the right
    m_cursor = new QCPItemStraightLine(this);
    m_cursor->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    m_cursor->setVisible(false);
}

void TimelineMeasurePlot::showMeasure(const std::vector<sw::TimelineRun>& runs, const std::string& method, const QString& measureId) {
    clearGraphs();
    const auto& rows = measures();
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const Measure& r) { return measureId == r.id; });
    if (row == rows.end() || method.empty()) return;
    yAxis->setLabel(tr(row->label));
    const bool logarithmic = measureId == "ris";
    yAxis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    yAxis->setTicker(logarithmic ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog) : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    for (size_t r = 0; r < runs.size(); ++r) {
        QVector<double> steps, values;
        for (const auto& snapshot : runs[r].index.snapshots) {
            if (!snapshot.measures.count(method) && measureId != "accuracy") continue;
            const double value = row->value(snapshot, method);
            if (!std::isfinite(value) || (logarithmic && value <= 0)) continue;
            steps << stepCoordinate(double(snapshot.step));
            values << value;
        }
        auto* graph = addGraph();
        graph->setName(QString::fromStdString(runs[r].name));
        graph->setPen(QPen(seriesColour(int(r)), 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        graph->setData(steps, values, true);
    }
    rescaleAxes();
    if (!logarithmic) yAxis->scaleRange(1.1);
    replot();
}

void TimelineMeasurePlot::addReference(const QString& name, const QVector<double>& steps, const QVector<double>& values, int runIndex) {
    QVector<double> coordinates;
    for (const double step : steps) coordinates << stepCoordinate(step);
    auto* graph = addGraph();
    graph->setName(name);
    graph->setPen(QPen(seriesColour(runIndex), 1.5, Qt::DashLine));
    graph->setData(coordinates, values, true);
    rescaleAxes();
    yAxis->scaleRange(1.1);
    replot();
}

void TimelineMeasurePlot::setCursorStep(int64_t step) {
    m_cursor->setVisible(step >= 0);
    m_cursor->point1->setCoords(stepCoordinate(double(step)), 0);
    m_cursor->point2->setCoords(stepCoordinate(double(step)), 1);
    replot(QCustomPlot::rpQueuedReplot);
}

void TimelineMeasurePlot::useFont(const QFont& font) {
    for (auto* axis : {xAxis, yAxis}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    legend->setFont(font);
    replot();
}

}  // namespace sw::ui
