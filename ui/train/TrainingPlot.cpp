#include "train/TrainingPlot.h"

#include <QTimer>
#include <QVBoxLayout>

#include "qcustomplot.h"

namespace sw::ui {

TrainingPlot::TrainingPlot(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot;
    m_plot->setObjectName("trainingPlot");
    m_plot->setMinimumHeight(220);
    m_plot->setToolTip(tr("Training loss (left axis) and training accuracy (right axis), per report window"));
    m_loss = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    m_loss->setName(tr("loss"));
    m_loss->setPen(QPen(QColor(31, 119, 180), 2));
    m_accuracy = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_accuracy->setName(tr("train accuracy"));
    m_accuracy->setPen(QPen(QColor(214, 39, 40), 2));
    m_heldOutAccuracy = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_heldOutAccuracy->setName(tr("held-out accuracy (timeline)"));
    m_heldOutAccuracy->setPen(QPen(QColor(214, 39, 40), 2, Qt::DashLine));
    m_heldOutAccuracy->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    m_heldOutAccuracy->removeFromLegend();
    m_gini = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_gini->setPen(QPen(QColor(44, 160, 44), 2));
    m_gini->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    m_gini->removeFromLegend();
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("loss"));
    m_plot->yAxis2->setLabel(tr("accuracy"));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setRange(0, 1);
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignRight | Qt::AlignBottom);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    layout->addWidget(m_plot);

    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setInterval(250);
    connect(m_redrawTimer, &QTimer::timeout, this, &TrainingPlot::redrawIfChanged);
    m_redrawTimer->start();
}

void TrainingPlot::setAccuracyLabel(const QString& label) {
    m_accuracy->setName(label);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString TrainingPlot::accuracyLabel() const { return m_accuracy->name(); }

void TrainingPlot::clear() {
    m_loss->data()->clear();
    m_accuracy->data()->clear();
    m_points = 0;
    m_heldOutAccuracy->data()->clear();
    m_gini->data()->clear();
    m_heldOutAccuracy->removeFromLegend();
    m_gini->removeFromLegend();
    m_timelinePoints = 0;
    m_dirty = true;
}

void TrainingPlot::addPoint(double step, double loss, double accuracy) {
    m_loss->addData(step, loss);
    m_accuracy->addData(step, accuracy);
    ++m_points;
    m_dirty = true;
}

void TrainingPlot::addTimelinePoint(double step, double heldOutAccuracy, double gini, const QString& giniLabel) {
    if (m_timelinePoints++ == 0) {
        m_heldOutAccuracy->addToLegend();
        m_gini->addToLegend();
    }
    m_gini->setName(giniLabel);
    m_heldOutAccuracy->addData(step, heldOutAccuracy);
    m_gini->addData(step, gini);
    m_dirty = true;
}

void TrainingPlot::redrawIfChanged() {
    if (!m_dirty) return;
    m_dirty = false;
    m_loss->rescaleAxes();
    m_plot->yAxis->setRangeLower(0);
    m_plot->yAxis2->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace sw::ui
