#include "study/StudyFigure.h"

#include <QDir>

#include <algorithm>
#include <cmath>

#include "qcustomplot.h"
#include "widgets/FigureExport.h"

namespace sw::ui {

namespace {

/// The q-th quantile by linear interpolation between order statistics (NumPy's default), of sorted values.
double quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return std::nan("");
    const double position = q * double(sorted.size() - 1);
    const auto below = size_t(std::floor(position));
    const auto above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (position - double(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

void drawStudyFigure(QCustomPlot& plot, const StudyAnalysis& analysis, const StudySettings& settings) {
    plot.clearPlottables();
    plot.plotLayout()->clear();
    const int conditionCount = int(analysis.conditions.size());
    QSharedPointer<QCPAxisTickerText> conditionTicks(new QCPAxisTickerText);
    for (int c = 0; c < conditionCount; ++c) {
        const auto& condition = analysis.conditions[size_t(c)];
        conditionTicks->addTick(c + 1, QString::fromStdString(condition.code + "\n" + condition.model + "\n" + condition.method));
    }
    const QColor boxColour(31, 95, 191), meanColour(200, 16, 46);
    // Panels side by side in one grid, the caption under all of them.
    auto* panels = new QCPLayoutGrid;
    plot.plotLayout()->addElement(0, 0, panels);
    int column = 0;
    for (const auto& questionId : analysis.questions) {
        const auto question =
            std::find_if(settings.questions.begin(), settings.questions.end(), [&](const auto& q) { return q.id == questionId; });
        const int points = question != settings.questions.end() ? question->points : 7;
        auto* rect = new QCPAxisRect(&plot);
        panels->addElement(1, column, rect);
        auto* title = new QCPTextElement(&plot, QString::fromStdString(question != settings.questions.end() ? question->text : questionId));
        title->setFont(QFont(plot.font().family(), 10, QFont::Bold));
        panels->addElement(0, column, title);
        auto* x = rect->axis(QCPAxis::atBottom);
        auto* y = rect->axis(QCPAxis::atLeft);
        x->setTicker(conditionTicks);
        x->setRange(0.4, conditionCount + 0.6);
        x->grid()->setVisible(false);
        QSharedPointer<QCPAxisTickerFixed> pointTicks(new QCPAxisTickerFixed);
        pointTicks->setTickStep(1.0);
        y->setTicker(pointTicks);
        y->setRange(0.5, points + 0.5);
        y->setLabel(QObject::tr("rating (1 – %1)").arg(points));

        auto* boxes = new QCPStatisticalBox(x, y);
        boxes->setWidth(0.35);
        boxes->setBrush(QColor(boxColour.red(), boxColour.green(), boxColour.blue(), 60));
        boxes->setPen(QPen(boxColour));
        auto* means = new QCPGraph(x, y);
        means->setLineStyle(QCPGraph::lsNone);
        means->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, meanColour, meanColour, 9));
        auto* intervals = new QCPErrorBars(x, y);
        intervals->setPen(QPen(meanColour, 1.5));
        intervals->setDataPlottable(means);
        QVector<double> keys, values, below, above;
        for (const auto& entry : analysis.ratings) {
            if (entry.question != questionId || entry.ratings.empty()) continue;
            auto sorted = entry.ratings;
            std::sort(sorted.begin(), sorted.end());
            const double key = double(entry.condition) + 1.0;
            boxes->addData(key - 0.12, sorted.front(), quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75),
                           sorted.back());
            const auto& s = entry.summary;
            keys << key + 0.22;
            values << s.mean;
            below << s.mean - s.ciLow;
            above << s.ciHigh - s.mean;
        }
        means->setData(keys, values);
        intervals->setData(below, above);
        ++column;
    }
    auto* caption = new QCPTextElement(&plot, QObject::tr("Boxes: quartiles of all ratings, whiskers to the extremes. Diamonds: the mean "
                                                          "with its 95 % bootstrap interval."));
    plot.plotLayout()->addElement(1, 0, caption);
    plot.plotLayout()->setRowStretchFactor(1, 0.01);
    plot.replot();
}

QString saveStudyFigure(const StudyAnalysis& analysis, const StudySettings& settings, const QString& path) {
    QCustomPlot plot;
    // Room for each condition's two-line label under every panel.
    const int conditions = int(analysis.conditions.size());
    plot.resize(std::max(640, 120 + int(analysis.questions.size()) * (190 * conditions + 120)), 500);
    drawStudyFigure(plot, analysis, settings);
    return savePlotFigure(&plot, path);
}

std::string saveStudyRatingsFigures(const StudyAnalysis& analysis, const StudySettings& settings, const std::string& reportFolder) {
    const QDir out(QString::fromStdString(reportFolder));
    std::string problems;
    for (const auto* suffix : {".png", ".svg"}) {
        const QString problem = saveStudyFigure(analysis, settings, out.filePath(kRatingsFigureStem + QString(suffix)));
        if (!problem.isEmpty()) problems += "figure not written: " + problem.toStdString() + "\n";
    }
    return problems;
}

StudyFigureDrawer inProcessStudyFigure() {
    return [](const std::string&, const StudyAnalysis& analysis, const StudySettings& settings, const std::string& reportFolder, uint64_t) {
        return saveStudyRatingsFigures(analysis, settings, reportFolder);
    };
}

}  // namespace sw::ui
