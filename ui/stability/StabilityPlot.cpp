#include "stability/StabilityPlot.h"

#include <QTimer>
#include <QVBoxLayout>

#include "qcustomplot.h"
#include "widgets/SeriesColour.h"

namespace sw::ui {

StabilityPlot::StabilityPlot(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot;
    m_plot->setObjectName("stabilityPlot");
    m_plot->setMinimumHeight(260);
    m_plot->setToolTip(tr("Mean over the scored images, with the 95 % bootstrap confidence band"));
    m_plot->xAxis->setLabel(tr("noise σ (pixel units)"));
    m_plot->legend->setVisible(true);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), 11, QFont::Bold));
    m_title->setObjectName("plotTitle");
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    layout->addWidget(m_plot);
    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setInterval(250);
    connect(m_redrawTimer, &QTimer::timeout, this, [this] { redrawIfChanged(false); });
    m_redrawTimer->start();
    reset(tr("SSIM"), false);
}

QString StabilityPlot::title() const { return m_title->text(); }

void StabilityPlot::setScale(double factor) {
    m_scale = factor;
    const double base = QFontInfo(font()).pointSizeF();
    QFont tick = font(), label = font(), title = font();
    tick.setPointSizeF(base * factor);
    label.setPointSizeF(base * factor * 1.1);
    title.setPointSizeF(base * factor * 1.2);
    title.setBold(true);
    for (auto* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setTickLabelFont(tick);
        axis->setLabelFont(label);
        axis->setBasePen(QPen(Qt::black, factor));
        axis->setTickPen(QPen(Qt::black, factor));
    }
    m_plot->legend->setFont(tick);
    m_title->setFont(title);
    for (auto& series : m_series) {
        QPen pen = series.mean->pen();
        pen.setWidthF(2.0 * factor);
        series.mean->setPen(pen);
        series.mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5.0 * factor));
    }
    m_plot->replot();
}

void StabilityPlot::reset(const QString& measureLabel, bool logarithmic, const QString& title) {
    m_title->setText(title);
    m_plot->clearGraphs();
    m_series.clear();
    m_logarithmic = logarithmic;
    m_plot->yAxis->setLabel(measureLabel);
    m_plot->yAxis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logarithmic)
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_dirty = true;
    m_plot->replot();
}

StabilityPlot::Series& StabilityPlot::seriesNamed(const QString& name) {
    auto found = m_series.find(name);
    if (found != m_series.end()) return *found;
    const QColor colour = seriesColour(m_series.size());
    Series series;
    series.mean = m_plot->addGraph();
    series.mean->setName(name);
    series.mean->setPen(QPen(colour, 2.0 * m_scale));
    series.mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5.0 * m_scale));
    QColor band = colour;
    band.setAlpha(50);
    series.low = m_plot->addGraph();
    series.low->setPen(Qt::NoPen);
    series.low->removeFromLegend();
    series.high = m_plot->addGraph();
    series.high->setPen(Qt::NoPen);
    series.high->setBrush(band);
    series.high->setChannelFillGraph(series.low);
    series.high->removeFromLegend();
    return *m_series.insert(name, series);
}

void StabilityPlot::addPoint(const QString& name, double noiseSigma, double mean, double ciLow, double ciHigh) {
    auto& series = seriesNamed(name);
    series.mean->addData(noiseSigma, mean);
    series.low->addData(noiseSigma, ciLow);
    series.high->addData(noiseSigma, ciHigh);
    ++series.points;
    m_dirty = true;
}

int StabilityPlot::pointCount(const QString& name) const {
    const auto found = m_series.constFind(name);
    return found == m_series.cend() ? 0 : found->points;
}

void StabilityPlot::flush() { redrawIfChanged(true); }

void StabilityPlot::redrawIfChanged(bool immediately) {
    if (!m_dirty) return;
    m_dirty = false;
    m_plot->rescaleAxes();
    // A little headroom, so that points and bands on the edge stay visible.
    const auto x = m_plot->xAxis->range();
    m_plot->xAxis->setRange(x.lower - 0.02 * x.size() - 1e-3, x.upper + 0.02 * x.size() + 1e-3);
    if (!m_logarithmic) {
        const auto y = m_plot->yAxis->range();
        m_plot->yAxis->setRange(y.lower - 0.05 * y.size() - 1e-3, y.upper + 0.05 * y.size() + 1e-3);
    }
    m_plot->replot(immediately ? QCustomPlot::rpImmediateRefresh : QCustomPlot::rpQueuedReplot);
}

}  // namespace sw::ui
