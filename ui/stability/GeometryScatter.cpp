#include "stability/GeometryScatter.h"

#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "qcustomplot.h"
#include "widgets/FigureExport.h"
#include "widgets/SeriesColour.h"

namespace sw::ui {

GeometryScatter::GeometryScatter(QWidget* parent) : QDialog(parent) {
    setObjectName("geometryScatter");
    setWindowTitle(tr("Curvature against RIS"));
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("Each point is one correctly classified image: how sharply the model's input gradient changes around it "
                      "(curvature) against how much its map moves under small input noise (RIS). ρ > 0: the flatter, the "
                      "steadier. Click a point to explore around that image."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_plot = new QCustomPlot;
    m_plot->setObjectName("geometryScatterPlot");
    m_plot->setMinimumHeight(260);
    for (auto* axis : {m_plot->xAxis, m_plot->yAxis}) {
        // Both span orders of magnitude across images and models.
        axis->setScaleType(QCPAxis::stLogarithmic);
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    }
    m_plot->xAxis->setLabel(tr("Local curvature (radius 0.01; lower = flatter)"));
    m_plot->yAxis->setLabel(tr("RIS (lower = more stable)"));
    m_plot->legend->setVisible(true);
    m_plot->setInteraction(QCP::iSelectPlottables, false);
    connect(m_plot, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent*) {
        for (int g = 0; g < m_plot->graphCount() && g < m_indices.size(); ++g) {
            if (m_plot->graph(g) == plottable && dataIndex >= 0 && dataIndex < m_indices[g].size())
                Q_EMIT imageChosen(m_indices[g][dataIndex]);
        }
    });
    layout->addWidget(m_plot, 1);
    auto* bottom = new QHBoxLayout;
    m_note = new QLabel;
    m_note->setWordWrap(true);
    bottom->addWidget(m_note, 1);
    auto* save = new QPushButton(tr("Export…"));
    save->setToolTip(tr("Save the figure as PNG, SVG or PDF"));
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the figure"), "curvature-vs-ris.png", figureFileFilter());
        if (path.isEmpty()) return;
        const QString error = exportFigure(path);
        m_note->setText(error.isEmpty() ? tr("Saved %1").arg(path) : error);
    });
    bottom->addWidget(save);
    layout->addLayout(bottom);
    const QRect screen = (parent ? parent->screen() : QGuiApplication::primaryScreen())->availableGeometry();
    resize(std::min(820, screen.width() - 40), std::min(620, screen.height() - 60));
}

void GeometryScatter::clear() {
    m_plot->clearGraphs();
    m_indices.clear();
    m_leftOut = 0;
    m_note->clear();
    m_plot->replot();
}

QString GeometryScatter::addEvaluation(const QString& name, const QByteArray& document) {
    const auto json = QJsonDocument::fromJson(document).object();
    const auto samples = json.value("per_sample").toArray();
    struct Point {
        double curvature, ris;
        qint64 index;
    };
    QVector<Point> points;
    for (const auto& value : samples) {
        const auto sample = value.toObject();
        if (!sample.contains("curvature")) return tr("%1: the evaluation holds no per-image curvature").arg(name);
        const double curvature = sample.value("curvature").toDouble(), ris = sample.value("ris").toDouble(NAN);
        // RIS is null where a perturbation changed the prediction; a log axis cannot show 0.
        if (!(curvature > 0.0) || !(ris > 0.0) || !std::isfinite(curvature) || !std::isfinite(ris)) {
            ++m_leftOut;
            continue;
        }
        points.push_back({curvature, ris, sample.value("index").toInteger()});
    }
    // The plot keeps its points sorted by x: sort them here so that a clicked point's index is its image's.
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.curvature < b.curvature; });
    QVector<double> x, y;
    QVector<qint64> indices;
    for (const auto& point : points) {
        x << point.curvature;
        y << point.ris;
        indices << point.index;
    }
    const auto correlation = json.value("summary").toObject().value("rank_correlations").toObject().value("curvature_vs_ris").toObject();
    const QString rho = correlation.value("spearman").isDouble() ? QString::number(correlation.value("spearman").toDouble(), 'f', 2) : "–";
    auto* graph = m_plot->addGraph();
    const QColor colour = seriesColour(m_plot->graphCount() - 1);
    graph->setName(tr("%1: ρ = %2 (n = %3)").arg(name, rho).arg(correlation.value("n").toInteger()));
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
    graph->setPen(QPen(colour));
    graph->setData(x, y, true);
    m_indices.push_back(indices);
    m_plot->rescaleAxes();
    for (auto* axis : {m_plot->xAxis, m_plot->yAxis}) axis->scaleRange(1.2);
    m_plot->replot();
    if (m_leftOut > 0)
        m_note->setText(tr("%1 images left out: RIS undefined (a perturbation changed the prediction) or 0.").arg(m_leftOut));
    return {};
}

QString GeometryScatter::exportFigure(const QString& path) const { return savePlotFigure(m_plot, path); }

}  // namespace sw::ui
