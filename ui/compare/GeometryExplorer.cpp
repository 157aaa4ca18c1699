#include "compare/GeometryExplorer.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScreen>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "io/OverlayRenderer.h"
#include "qcustomplot.h"
#include "shell/JobController.h"
#include "widgets/MatImage.h"
#include "widgets/SeriesColour.h"

namespace sw::ui {

namespace {

constexpr int kMapSide = 112;

/// The measures the plot can show: id, name (the drop-down and the axis), what it is (the tooltip), and the
/// slice's values for it.
struct PlottedMeasure {
    const char* id;
    const char* name;
    const char* meaning;
    const std::vector<double> sw::ModelSlice::*values;
};

const std::vector<PlottedMeasure>& plottedMeasures() {
    static const std::vector<PlottedMeasure> measures = {
        {"margin", QT_TRANSLATE_NOOP("GeometryExplorer", "Margin"),
         QT_TRANSLATE_NOOP("GeometryExplorer",
                           "The logit of the class predicted at x minus the largest other one: below 0 the "
                           "prediction has changed"),
         &sw::ModelSlice::margin},
        {"logit", QT_TRANSLATE_NOOP("GeometryExplorer", "Logit"),
         QT_TRANSLATE_NOOP("GeometryExplorer", "The logit of the class predicted at x"), &sw::ModelSlice::explainedLogit},
        {"probability", QT_TRANSLATE_NOOP("GeometryExplorer", "Probability"),
         QT_TRANSLATE_NOOP("GeometryExplorer", "The softmax probability of the class predicted at x"), &sw::ModelSlice::probability},
        {"gradient_norm", QT_TRANSLATE_NOOP("GeometryExplorer", "Gradient norm"),
         QT_TRANSLATE_NOOP("GeometryExplorer", "‖∇ₓf‖₂ of the logit of the class predicted at x"), &sw::ModelSlice::gradientNorm},
        {"ssim", QT_TRANSLATE_NOOP("GeometryExplorer", "Map SSIM to x"),
         QT_TRANSLATE_NOOP("GeometryExplorer", "SSIM of the map at x + t·d to the map at x (as the stability curves)"),
         &sw::ModelSlice::ssim},
        {"cosine", QT_TRANSLATE_NOOP("GeometryExplorer", "Map cosine to x"),
         QT_TRANSLATE_NOOP("GeometryExplorer", "Cosine similarity of the map at x + t·d to the map at x"), &sw::ModelSlice::cosine},
        {"curvature", QT_TRANSLATE_NOOP("GeometryExplorer", "Logit curvature"),
         QT_TRANSLATE_NOOP("GeometryExplorer",
                           "d²/dt² of the logit by central differences: 0 between a ReLU network's kinks, "
                           "spikes where units switch"),
         &sw::ModelSlice::logitCurvature},
    };
    return measures;
}

QString number(double value, int precision = 3) { return std::isfinite(value) ? QString::number(value, 'g', precision) : QString("–"); }

/// The t of the first point on each side of x where the prediction differs from the one at x ("none" if none).
QString predictionChanges(const sw::ModelSlice& slice) {
    QString left = QObject::tr("none"), right = QObject::tr("none");
    for (size_t i = slice.centre() + 1; i-- > 0;) {
        if (slice.predictions[i] != slice.explainedClass) {
            left = QString::number(slice.steps[i], 'f', 3);
            break;
        }
    }
    for (size_t i = slice.centre(); i < slice.steps.size(); ++i) {
        if (slice.predictions[i] != slice.explainedClass) {
            right = QString::number(slice.steps[i], 'f', 3);
            break;
        }
    }
    return left + " / " + right;
}

}  // namespace

GeometryExplorer::GeometryExplorer(ExplorerSubject subject, JobController* jobs, QWidget* parent)
    : QDialog(parent), m_subject(std::move(subject)), m_jobs(jobs) {
    setObjectName("geometryExplorer");
    setWindowTitle(tr("Explore around %1 — %2").arg(m_subject.caption, m_subject.methodName));
    auto* layout = new QVBoxLayout(this);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Direction")));
    m_direction = new QComboBox;
    m_direction->setObjectName("sliceDirection");
    m_direction->addItem(tr("Random"), "random");
    m_direction->addItem(tr("Gradient"), "gradient");
    m_direction->addItem(tr("PGD (adversarial)"), "pgd");
    m_direction->addItem(tr("Toward image"), "image");
    m_direction->setToolTip(
        tr("The line x + t·d: random noise, the input gradient, the PGD attack's step at ε = the radius, or toward "
           "another image of the dataset"));
    controls->addWidget(m_direction);
    m_towardIndex = new QSpinBox;
    m_towardIndex->setRange(0, 999999);
    m_towardIndex->setValue(int(m_subject.index) + 1);
    m_towardIndex->setVisible(false);
    m_towardIndex->setToolTip(tr("The dataset sample the line points toward"));
    controls->addWidget(m_towardIndex);
    connect(m_direction, &QComboBox::currentIndexChanged, this,
            [this] { m_towardIndex->setVisible(m_direction->currentData().toString() == "image"); });
    controls->addWidget(new QLabel(tr("Radius")));
    m_radius = new QDoubleSpinBox;
    m_radius->setRange(0.001, 1.0);
    m_radius->setDecimals(3);
    m_radius->setSingleStep(0.01);
    m_radius->setValue(0.1);
    m_radius->setToolTip(tr("t runs over [−radius, radius]; d is scaled to max|d| = 1, so t is in pixel units like an L∞ ε"));
    controls->addWidget(m_radius);
    controls->addWidget(new QLabel(tr("Points")));
    m_points = new QSpinBox;
    m_points->setRange(3, 401);
    m_points->setSingleStep(2);
    m_points->setValue(101);
    m_points->setToolTip(tr("Points along the line (odd, so that t = 0 is one of them)"));
    controls->addWidget(m_points);
    m_run = new QPushButton(tr("Slice"));
    m_run->setObjectName("sliceRun");
    connect(m_run, &QPushButton::clicked, this, &GeometryExplorer::run);
    controls->addWidget(m_run);
    controls->addStretch(1);
    controls->addWidget(new QLabel(tr("Plot")));
    m_measure = new QComboBox;
    m_measure->setObjectName("sliceMeasure");
    for (const auto& measure : plottedMeasures()) {
        m_measure->addItem(tr(measure.name), QString(measure.id));
        m_measure->setItemData(m_measure->count() - 1, tr(measure.meaning), Qt::ToolTipRole);
    }
    connect(m_measure, &QComboBox::currentIndexChanged, this, &GeometryExplorer::replot);
    controls->addWidget(m_measure);
    layout->addLayout(controls);

    m_plot = new QCustomPlot;
    m_plot->setObjectName("slicePlot");
    m_plot->setMinimumHeight(180);
    m_plot->xAxis->setLabel(tr("t (pixel units along d)"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    m_cursorLine = new QCPItemStraightLine(m_plot);
    m_cursorLine->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (m_slices.isEmpty()) return;
        const double t = m_plot->xAxis->pixelToCoord(event->position().x());
        const auto& steps = m_slices.front().steps;
        const auto nearest =
            std::min_element(steps.begin(), steps.end(), [t](double a, double b) { return std::abs(a - t) < std::abs(b - t); });
        setCursorPoint(int(nearest - steps.begin()));
    });
    layout->addWidget(m_plot, 1);

    auto* cursorRow = new QHBoxLayout;
    m_cursor = new QSlider(Qt::Horizontal);
    m_cursor->setObjectName("sliceCursor");
    m_cursor->setEnabled(false);
    connect(m_cursor, &QSlider::valueChanged, this, &GeometryExplorer::showCursor);
    m_cursorLabel = new QLabel;
    m_cursorLabel->setMinimumWidth(m_cursorLabel->fontMetrics().horizontalAdvance("t = −0.000 "));
    cursorRow->addWidget(m_cursor, 1);
    cursorRow->addWidget(m_cursorLabel);
    layout->addLayout(cursorRow);

    auto* mapsRow = new QHBoxLayout;
    for (int m = 0; m < m_subject.models.size(); ++m) {
        auto* column = new QVBoxLayout;
        auto* name = new QLabel(m_subject.modelNames.value(m));
        name->setWordWrap(true);
        name->setFixedHeight(2 * name->fontMetrics().lineSpacing());  // a long name wraps without moving its map
        name->setAlignment(Qt::AlignLeft | Qt::AlignBottom);
        name->setStyleSheet(QString("color: %1; font-weight: bold").arg(seriesColour(m).name()));
        auto* map = new QLabel;
        map->setFixedSize(kMapSide, kMapSide);
        map->setScaledContents(true);
        auto* caption = new QLabel;
        column->addWidget(name);
        column->addWidget(map);
        column->addWidget(caption);
        column->addStretch(1);
        mapsRow->addLayout(column);
        m_maps.push_back(map);
        m_mapCaptions.push_back(caption);
    }
    mapsRow->addStretch(1);
    layout->addLayout(mapsRow);

    m_table = new QTableWidget(0, 6);
    m_table->setObjectName("sliceGeometry");
    m_table->setHorizontalHeaderLabels({tr("Model"), tr("Curvature"), tr("Hessian"), tr("RIS"), tr("ROS"), tr("Prediction changes at t")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setToolTip(
        tr("At x itself: the finite-difference curvature of the input gradient (radius 0.01), the softplus surrogate's "
           "largest Hessian eigenvalue, the image's own RIS and ROS (docs/GEOMETRY.md)"));
    // Every model's row in view, no more.
    m_table->setMaximumHeight(m_table->verticalHeader()->defaultSectionSize() * int(m_subject.models.size()) +
                              m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth() + 2);
    layout->addWidget(m_table);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    // Never larger than the screen: 1280×720 leaves the plot and one row of maps.
    const QRect screen = (parent ? parent->screen() : QGuiApplication::primaryScreen())->availableGeometry();
    resize(std::min(960, screen.width() - 40), std::min(720, screen.height() - 60));
}

void GeometryExplorer::setDirection(const QString& direction) {
    if (direction.startsWith("image:")) {
        m_direction->setCurrentIndex(m_direction->findData("image"));
        m_towardIndex->setValue(direction.section(':', 1).toInt());
    } else {
        m_direction->setCurrentIndex(std::max(0, m_direction->findData(direction)));
    }
}

QString GeometryExplorer::direction() const {
    const QString kind = m_direction->currentData().toString();
    return kind == "image" ? QString("image:%1").arg(m_towardIndex->value()) : kind;
}

void GeometryExplorer::setRadius(double radius) { m_radius->setValue(radius); }
void GeometryExplorer::setPoints(int points) { m_points->setValue(points | 1); }

void GeometryExplorer::setMeasure(const QString& measure) { m_measure->setCurrentIndex(std::max(0, m_measure->findData(measure))); }

void GeometryExplorer::run() {
    sw::SliceRequest request;
    request.models.assign(m_subject.models.begin(), m_subject.models.end());
    request.datasetSpec = m_subject.datasetSpec.toStdString();
    request.index = m_subject.index;
    request.imageFile = m_subject.imageFile.toStdString();
    request.direction = direction().toStdString();
    request.slice.radius = m_radius->value();
    request.slice.points = m_points->value() | 1;  // odd: t = 0 is a point
    request.saliency = m_subject.method;
    request.device = m_subject.device.toStdString();

    const int generation = ++m_generation;
    m_slices.clear();
    m_shownMaps = QVector<QImage>(m_subject.models.size());
    m_table->setRowCount(0);
    m_cursor->setEnabled(false);
    m_running = true;
    m_status->setText(tr("Slicing %1 models along %2…").arg(m_subject.models.size()).arg(direction()));
    replot();
    QPointer<GeometryExplorer> self(this);
    m_jobs->submit(
        tr("Slice around %1").arg(m_subject.caption),
        [self, request, generation](sw::Feedback& feedback) {
            return sw::runSliceJob(request, feedback, [&](const sw::ModelSlice& slice) {
                JobController::deliver(self, [slice, generation](GeometryExplorer& explorer) {
                    if (generation == explorer.m_generation) explorer.addSlice(slice);
                });
            });
        },
        this,
        [this, generation](const sw::JobResult& result) {
            if (generation != m_generation) return;
            m_running = false;
            m_status->setText(result.outcome == sw::Outcome::Completed
                                  ? QString()
                                  : QString::fromStdString(result.message).section(sw::kErrorDetailsMarker, 0, 0));
            Q_EMIT sliceFinished();
        },
        JobLane::Interactive, "geometry-slice");
}

void GeometryExplorer::addSlice(const sw::ModelSlice& slice) {
    m_slices.push_back(slice);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const QStringList cells = {m_subject.modelNames.value(row),
                               number(slice.geometry.localCurvature),
                               slice.geometry.hessianNorm ? number(*slice.geometry.hessianNorm) : tr("n/a"),
                               number(slice.geometry.ris),
                               number(slice.geometry.ros),
                               predictionChanges(slice)};
    for (int column = 0; column < cells.size(); ++column) m_table->setItem(row, column, new QTableWidgetItem(cells[column]));
    const int last = int(slice.steps.size()) - 1;
    m_cursor->setRange(0, last);
    m_cursor->setEnabled(true);
    if (m_slices.size() == 1) {
        const QSignalBlocker quiet(m_cursor);
        m_cursor->setValue(int(slice.centre()));
    }
    replot();
    showCursor();
}

void GeometryExplorer::replot() {
    m_plot->clearGraphs();
    const auto& measure = plottedMeasures()[size_t(std::max(0, m_measure->currentIndex()))];
    m_plot->yAxis->setLabel(tr(measure.name));
    m_measure->setToolTip(tr(measure.meaning));
    for (int m = 0; m < m_slices.size(); ++m) {
        const auto& slice = m_slices[m];
        const auto& values = slice.*(measure.values);
        QVector<double> x, y;
        for (size_t i = 0; i < values.size(); ++i) {
            if (!std::isfinite(values[i])) continue;  // a curvature's ends, an SSIM the window does not fit
            x.push_back(slice.steps[i]);
            y.push_back(values[i]);
        }
        auto* graph = m_plot->addGraph();
        graph->setName(m_subject.modelNames.value(m));
        graph->setPen(QPen(seriesColour(m), 2));
        graph->setData(x, y, true);
    }
    m_plot->rescaleAxes();
    m_plot->yAxis->scaleRange(1.1);
    showCursor();
}

void GeometryExplorer::setCursorPoint(int point) { m_cursor->setValue(point); }

int GeometryExplorer::cursorPoint() const { return m_cursor->value(); }

QImage GeometryExplorer::shownMap(int model) const { return m_shownMaps.value(model); }

QString GeometryExplorer::statusText() const { return m_status->text(); }

void GeometryExplorer::showCursor() {
    if (m_slices.isEmpty()) {
        m_cursorLabel->clear();
        m_plot->replot();
        return;
    }
    const int point = std::clamp(m_cursor->value(), 0, int(m_slices.front().steps.size()) - 1);
    const double t = m_slices.front().steps[size_t(point)];
    m_cursorLabel->setText(QString("t = %1").arg(t, 0, 'f', 3));
    m_cursorLine->point1->setCoords(t, 0);
    m_cursorLine->point2->setCoords(t, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    for (int m = 0; m < m_slices.size() && m < m_maps.size(); ++m) {
        const auto& slice = m_slices[m];
        if (size_t(point) >= slice.steps.size()) continue;
        const size_t area = size_t(slice.mapHeight * slice.mapWidth);
        const cv::Mat map(int(slice.mapHeight), int(slice.mapWidth), CV_32F, const_cast<float*>(slice.maps.data() + size_t(point) * area));
        // One scale for the whole slice, so the maps compare along t: the largest |value| anywhere on it.
        double largest = 0.0;
        for (const float value : slice.maps) largest = std::max(largest, double(std::abs(value)));
        auto style = m_subject.style;
        style.scaleMax = largest;
        const cv::Mat image = m_subject.image.size() == map.size() ? m_subject.image : cv::Mat::zeros(map.size(), CV_8UC1);
        m_shownMaps[m] = matToQImage(sw::renderOverlay(image, map, style, kMapSide));
        m_maps[m]->setPixmap(QPixmap::fromImage(m_shownMaps[m]));
        const auto predicted = slice.predictions[size_t(point)];
        const QString className = size_t(predicted) < slice.classNames.size() ? QString::fromStdString(slice.classNames[size_t(predicted)])
                                                                              : tr("class %1").arg(predicted);
        m_mapCaptions[m]->setText(tr("%1 · p(%2) %3")
                                      .arg(className, QString::fromStdString(slice.explainedClassName))
                                      .arg(slice.probability[size_t(point)], 0, 'f', 2));
    }
}

}  // namespace sw::ui
