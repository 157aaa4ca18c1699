#include "stability/StabilityPanel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "compare/MethodPicker.h"
#include "explain/SaliencyMethods.h"
#include "jobs/CurvesJob.h"
#include "jobs/SaliencyEvaluationJob.h"
#include "metrics/EvaluationMeasures.h"
#include "reproduce/SeedReport.h"
#include "reproduce/ReproductionFolder.h"
#include "widgets/FigureExport.h"
#include "widgets/ToolTip.h"
#include "shell/MethodsHelp.h"
#include "shell/JobController.h"
#include "shell/ModelLibrary.h"
#include "compare/GeometryExplorer.h"
#include "stability/GeometryScatter.h"
#include "stability/StabilityPlot.h"
#include "stability/SummaryTable.h"

namespace sw::ui {

namespace {

constexpr double kPresentationPlotScale = 1.8;

/// The plot's axis label: the measure's own label (metrics/EvaluationMeasures.h) with its direction.
QString measureLabel(const QString& id) {
    const auto& measure = sw::evaluationMeasure(id.toStdString());
    QString label = QString::fromStdString(measure.axisLabel) + (measure.better == sw::Better::Higher ? " ↑" : " ↓");
    if (measure.better == sw::Better::Lower) label += QObject::tr(" (log scale)");
    return label;
}

}  // namespace

StabilityPanel::StabilityPanel(ModelLibrary* library, JobController* jobs, QWidget* parent)
    : QWidget(parent), m_library(library), m_jobs(jobs) {
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    m_method = new QComboBox;
    m_method->setObjectName("stabilityMethod");
    addMethodsByFamily(m_method);
    m_method->setToolTip(tr("Saliency method whose stability is measured"));
    m_measure = new QComboBox;
    m_measure->setObjectName("measure");
    for (const auto& measure : sw::evaluationMeasures()) {
        if (!measure.againstNoise) continue;
        m_measure->addItem(QString::fromStdString(measure.name), QString::fromStdString(measure.id));
        m_measure->setItemData(m_measure->count() - 1, wrappedToolTip(QString::fromStdString(measure.explanation)), Qt::ToolTipRole);
    }
    m_measure->setToolTip(
        wrappedToolTip(tr("SSIM, top-k overlap and rank correlation compare clean and noisy maps (higher = more stable); "
                          "RIS and ROS are Agarwal et al.'s relative stabilities (lower = more stable)")));
    m_noise = new QLineEdit("0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2");
    m_noise->setObjectName("noiseLevels");
    m_noise->setToolTip(tr("Noise levels σ in pixel units, comma-separated (default: the authors' eight)"));
    // Wide enough for the default list, whatever the font (presentation mode scales it).
    m_noise->setMinimumWidth(m_noise->fontMetrics().horizontalAdvance(m_noise->text() + "  ") + 12);
    m_images = new QSpinBox;
    m_images->setRange(1, 100000);
    m_images->setValue(200);
    m_images->setToolTip(tr("Test images per model (the first N of the dataset); only correctly classified ones are scored"));
    m_runCurves = new QPushButton(tr("Plot curves"));
    m_runCurves->setObjectName("runCurves");
    m_runCurves->setToolTip(tr("Compute the curve of every checked model (Ctrl+R)"));
    m_runCurves->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_runSummary = new QPushButton(tr("Summary table"));
    m_runSummary->setToolTip(
        wrappedToolTip(tr("Accuracy, robust accuracy, Gini, RIS, log₁₀ ROS and ROAD AOPC of every checked model with VG, IG and the "
                          "chosen method")));
    auto* runScatter = new QPushButton(tr("Curvature vs RIS"));
    runScatter->setObjectName("runCurvatureScatter");
    runScatter->setToolTip(
        wrappedToolTip(tr("Each image's local curvature against its RIS, per checked model, with Spearman's ρ: "
                          "is a flatter model a steadier one? Click a point to explore around that image")));
    connect(runScatter, &QPushButton::clicked, this, &StabilityPanel::runCurvatureScatter);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the running curves and summaries"));
    m_cancel->setEnabled(false);
    auto* exportButton = new QPushButton(tr("Export…"));
    exportButton->setToolTip(tr("Save the plot (PNG, SVG, PDF), the curves (CSV) or the table (CSV)"));
    controls->addWidget(new QLabel(tr("Method")));
    controls->addWidget(m_method);
    auto* methodHelp = makeHelpButton("method-vg", tr("What the chosen method computes"));
    connect(m_method, &QComboBox::currentIndexChanged, methodHelp,
            [this, methodHelp] { methodHelp->setProperty("anchor", "method-" + m_method->currentData().toString()); });
    controls->addWidget(methodHelp);
    controls->addWidget(new QLabel(tr("Measure")));
    controls->addWidget(m_measure);
    auto* measureHelp = makeHelpButton("measure-ssim", tr("What the chosen measure means and which direction is better"));
    connect(m_measure, &QComboBox::currentIndexChanged, measureHelp,
            [this, measureHelp] { measureHelp->setProperty("anchor", "measure-" + m_measure->currentData().toString()); });
    controls->addWidget(measureHelp);
    controls->addWidget(new QLabel(tr("Images")));
    controls->addWidget(m_images);
    controls->addStretch();
    // Two rows: one would be wider than a 1280-pixel screen in presentation mode.
    auto* actions = new QHBoxLayout;
    actions->addWidget(new QLabel(tr("σ")));
    actions->addWidget(m_noise, 1);
    actions->addWidget(m_runCurves);
    actions->addWidget(m_runSummary);
    actions->addWidget(runScatter);
    actions->addWidget(m_cancel);
    actions->addWidget(exportButton);
    layout->addLayout(controls);
    layout->addLayout(actions);

    auto* splitter = new QSplitter(Qt::Vertical);
    m_plot = new StabilityPlot;
    m_table = new SummaryTable;
    splitter->addWidget(m_plot);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    m_status = new QLabel(tr("Check models in the list, choose a measure and press Plot curves."));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    connect(m_runCurves, &QPushButton::clicked, this, &StabilityPanel::runCurves);
    connect(m_runSummary, &QPushButton::clicked, this, &StabilityPanel::runSummary);
    connect(m_cancel, &QPushButton::clicked, this, &StabilityPanel::cancel);
    // A menu owned by the button: Qt places it inside the screen, wherever the button is.
    auto* exportMenu = new QMenu(exportButton);
    exportMenu->setObjectName("stabilityExportMenu");
    exportMenu->addAction(tr("Plot as PNG, SVG or PDF…"), this, [this] { exportInteractively(ExportKind::Plot); });
    exportMenu->addAction(tr("Curves as CSV…"), this, [this] { exportInteractively(ExportKind::Curves); });
    exportMenu->addAction(tr("Summary table as CSV…"), this, [this] { exportInteractively(ExportKind::Table); });
    exportButton->setMenu(exportMenu);
    connect(m_jobs, &JobController::jobFinished, this, &StabilityPanel::onJobFinished);
}

void StabilityPanel::setImageCount(int count) { m_images->setValue(count); }

void StabilityPanel::setPresentation(bool on) {
    m_plot->setScale(on ? kPresentationPlotScale : 1.0);
    m_table->setVisible(!on);
}
void StabilityPanel::setNoiseLevels(const QString& commaSeparated) { m_noise->setText(commaSeparated); }
void StabilityPanel::setMeasure(const QString& measure) { m_measure->setCurrentIndex(m_measure->findData(measure)); }
void StabilityPanel::setMethod(const QString& method) { m_method->setCurrentIndex(m_method->findData(method)); }

QString StabilityPanel::datasetSpec() const { return m_library->workspace().datasetSpec(); }

std::vector<double> StabilityPanel::noiseLevels() const {
    std::vector<double> levels;
    for (const auto& part : m_noise->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.trimmed().toDouble(&ok);
        if (ok && value >= 0) levels.push_back(value);
    }
    return levels;
}

QString StabilityPanel::loadReport(const QString& folder, const QString& method) {
    // A seed study keeps each seed's evaluations in its own folder; rows are named seed-N/MODEL.
    const sw::ReproductionFolder reproduction(folder.toStdString());
    std::vector<std::string> evaluationFolders = {"."};
    const bool seedStudy = reproduction.isSeedStudy();
    if (seedStudy) {
        try {
            evaluationFolders = reproduction.seedFolderNames();
        } catch (const std::exception& error) {
            return QString::fromStdString(error.what());
        }
    }
    int loaded = 0;
    for (const auto& sub : evaluationFolders) {
        for (const auto& path : sw::ReproductionFolder(reproduction.root() / sub).evaluationFiles()) {
            QFile json(QString::fromStdString(path.string()));
            if (!json.open(QIODevice::ReadOnly)) return tr("%1: cannot be read").arg(json.fileName());
            const QByteArray document = json.readAll();
            const auto model = QJsonDocument::fromJson(document).object().value("model").toObject();
            const auto name = QString::fromStdString(sw::ReproductionFolder::modelOfEvaluation(path));
            m_table->addEvaluation(seedStudy ? QString::fromStdString(sub) + "/" + name : name, model.value("badge").toString(), document);
            ++loaded;
        }
    }
    if (loaded == 0) return tr("%1: no evaluations/*.json (not a reproduction folder, or it has not finished)").arg(folder);
    const QString curvesPath = QString::fromStdString(reproduction.curvesCsv().string());
    if (QFileInfo::exists(curvesPath)) {
        std::vector<sw::CurveRow> rows;
        try {
            rows = sw::readCurvesCsv(curvesPath.toStdString());
            if (seedStudy) rows = sw::curvesAcrossSeeds(rows);  // one line per model: the mean over seeds, a t-band
        } catch (const std::exception& error) {
            return QString::fromUtf8(error.what());
        }
        m_plot->reset(measureLabel("ssim") + QString(" — %1").arg(method.toUpper()), false,
                      seedStudy ? tr("%1 · SSIM · mean over %2 seeds · %3")
                                      .arg(method.toUpper())
                                      .arg(evaluationFolders.size())
                                      .arg(QFileInfo(folder).fileName())
                                : tr("%1 · SSIM · %2").arg(method.toUpper(), QFileInfo(folder).fileName()));
        m_curveRows.clear();
        for (const auto& row : rows) {
            if (QString::fromStdString(row.method) == method) addCurveRow(row, QString::fromStdString(row.model));
        }
        m_plot->flush();
    }
    m_status->setText(
        seedStudy ? tr("Seed study %1: %2 evaluations from %3 seeds; SSIM curves of %4, mean over seeds with a 95 % band across them.")
                        .arg(folder)
                        .arg(loaded)
                        .arg(evaluationFolders.size())
                        .arg(method.toUpper())
                  : tr("Report %1: %2 evaluations, SSIM curves of %3.").arg(folder).arg(loaded).arg(method.toUpper()));
    return {};
}

void StabilityPanel::runCurves() {
    const auto models = m_library->checkedModels();
    const auto levels = noiseLevels();
    if (models.isEmpty()) {
        m_status->setText(tr("Check at least one model in the model list."));
        return;
    }
    if (levels.empty()) {
        m_status->setText(tr("Give at least one noise level, e.g. 0.01, 0.05, 0.1."));
        return;
    }
    if (m_curvesJob >= 0) m_jobs->cancel(m_curvesJob);  // a new figure replaces the one being drawn
    const QString measure = m_measure->currentData().toString();
    m_plot->reset(measureLabel(measure), measure == "ris" || measure == "ros",
                  tr("%1 · %2 · first %3 images of %4")
                      .arg(m_method->currentText(), m_measure->currentText())
                      .arg(m_images->value())
                      .arg(datasetSpec()));
    m_curveRows.clear();
    sw::CurvesRequest request;
    for (const auto& entry : models) request.modelPaths.push_back(entry.path.toStdString());
    request.datasetSpec = datasetSpec().toStdString();
    request.device = m_jobs->computeDevice().toStdString();
    request.limit = m_images->value();
    request.saliency.method = m_method->currentData().toString().toStdString();
    request.measures = {measure.toStdString()};
    request.noiseLevels = levels;

    QPointer<StabilityPanel> self(this);
    const int generation = ++m_curvesGeneration;
    m_curvesJob = m_jobs->submit(tr("Curves: %1 of %2 models").arg(m_measure->currentText()).arg(models.size()),
                                 [self, request, generation](sw::Feedback& feedback) {
                                     return sw::runCurvesJob(request, feedback, [self, generation](const sw::CurveRow& row) {
                                         JobController::deliver(self, [row, generation](StabilityPanel& panel) {
                                             // Rows of a replaced run never reach the new figure.
                                             if (generation == panel.m_curvesGeneration)
                                                 panel.addCurveRow(row, QString::fromStdString(row.model));
                                         });
                                     });
                                 });
    m_activeJobs.push_back(m_curvesJob);
    m_cancel->setEnabled(true);
    m_status->setText(
        tr("Computing %1 curves for %2 models on %3 images…").arg(m_measure->currentText()).arg(models.size()).arg(m_images->value()));
}

void StabilityPanel::addCurveRow(const sw::CurveRow& row, const QString& seriesName) {
    m_plot->addPoint(seriesName, row.noiseSigma, row.mean, row.ciLow, row.ciHigh);
    m_curveRows.push_back(row);
}

sw::SaliencyEvaluationRequest StabilityPanel::evaluationRequest(const ModelEntry& entry, const QString& method,
                                                                std::vector<std::string> measures) const {
    const auto model = entry.reference();
    sw::SaliencyEvaluationRequest request;
    request.modelPath = model.path;
    request.inputShape = model.inputShape;
    request.classNames = model.classNames;
    request.datasetSpec = datasetSpec().toStdString();
    request.device = m_jobs->computeDevice().toStdString();
    request.limit = m_images->value();
    request.protocol.saliency.method = method.toStdString();
    request.protocol.metrics = std::move(measures);
    return request;
}

void StabilityPanel::runSummary() {
    const auto models = m_library->checkedModels();
    if (models.isEmpty()) {
        m_status->setText(tr("Check at least one model in the model list."));
        return;
    }
    // The paper's two methods, as always, and the chosen one beside them.
    QStringList methods = {"vg", "ig"};
    if (!methods.contains(m_method->currentData().toString())) methods << m_method->currentData().toString();
    for (const auto& entry : models) {
        for (const QString& method : methods) {
            const auto request = evaluationRequest(entry, method, {"accuracy", "robust_accuracy", "sparseness", "ris", "ros", "road"});
            const QString name = entry.displayName();
            const QString badge = entry.badge();
            // Filled on the worker; read in the finished callback, which runs after the job body returned.
            auto document = std::make_shared<std::string>();
            const int jobId = m_jobs->submit(
                tr("Summary: %1 · %2").arg(name, methodDisplayName(method)),
                [request, document](sw::Feedback& feedback) { return sw::runSaliencyEvaluationJob(request, feedback, document.get()); },
                this,
                [this, name, badge, document](const sw::JobResult& result) {
                    if (result.outcome == sw::Outcome::Completed) m_table->addEvaluation(name, badge, QByteArray::fromStdString(*document));
                });
            m_activeJobs.push_back(jobId);
            m_summaryJobs.insert(jobId);
        }
    }
    m_cancel->setEnabled(true);
    QStringList names;
    for (const auto& method : methods) names << methodDisplayName(method);
    m_status->setText(tr("Evaluating %1 models with %2 on %3 images…").arg(models.size()).arg(names.join(", ")).arg(m_images->value()));
}

void StabilityPanel::runCurvatureScatter() {
    const auto models = m_library->checkedModels();
    if (models.isEmpty()) {
        m_status->setText(tr("Check at least one model in the model list."));
        return;
    }
    if (!m_scatter) {
        m_scatter = new GeometryScatter(this);
        m_scatter->setWindowFlag(Qt::Window);
        connect(m_scatter, &GeometryScatter::imageChosen, this, &StabilityPanel::exploreAround);
    }
    for (const int jobId : std::as_const(m_scatterJobs)) m_jobs->cancel(jobId);
    m_scatter->clear();
    m_scatter->show();
    m_scatter->raise();
    const QString method = m_method->currentData().toString();
    for (const auto& entry : models) {
        const auto request = evaluationRequest(entry, method, {"curvature", "ris"});
        const QString name = entry.displayName();
        auto document = std::make_shared<std::string>();  // filled on the worker, read once it returned
        QPointer<GeometryScatter> scatter(m_scatter);
        const int jobId = m_jobs->submit(
            tr("Curvature vs RIS: %1 · %2").arg(name, methodDisplayName(method)),
            [request, document](sw::Feedback& feedback) { return sw::runSaliencyEvaluationJob(request, feedback, document.get()); },
            m_scatter,
            [this, scatter, name, document](const sw::JobResult& result) {
                if (result.outcome != sw::Outcome::Completed || !scatter) return;
                if (const QString error = scatter->addEvaluation(name, QByteArray::fromStdString(*document)); !error.isEmpty())
                    m_status->setText(error);
            });
        m_activeJobs.push_back(jobId);
        m_scatterJobs.insert(jobId);
    }
    m_cancel->setEnabled(true);
    m_status->setText(tr("Curvature and RIS of %1 models with %2 on %3 images…")
                          .arg(models.size())
                          .arg(methodDisplayName(method))
                          .arg(m_images->value()));
}

void StabilityPanel::exploreAround(qint64 index) {
    const auto models = m_library->checkedModels();
    if (models.isEmpty()) return;
    ExplorerSubject subject;
    for (const auto& entry : models) {
        subject.models.push_back(entry.reference());
        subject.modelNames << entry.displayName();
    }
    subject.method.method = m_method->currentData().toString().toStdString();
    subject.methodName = methodDisplayName(m_method->currentData().toString());
    subject.datasetSpec = datasetSpec();
    subject.index = index;
    subject.caption = QString("%1 #%2").arg(subject.datasetSpec).arg(index);
    subject.device = m_jobs->computeDevice();  // no image: the maps are drawn alone
    auto* explorer = new GeometryExplorer(std::move(subject), m_jobs, this);
    explorer->setWindowFlag(Qt::Window);
    explorer->setAttribute(Qt::WA_DeleteOnClose);
    explorer->show();
    explorer->run();
}

void StabilityPanel::cancel() {
    for (const int jobId : std::as_const(m_activeJobs)) m_jobs->cancel(jobId);
}

void StabilityPanel::onJobFinished(int jobId, sw::Outcome result, const QString& message) {
    if (!m_activeJobs.removeOne(jobId)) return;
    m_cancel->setEnabled(!m_activeJobs.isEmpty());
    const int outcome = int(result);
    if (result == sw::Outcome::Failed) m_status->setText(tr("Failed: %1").arg(message));
    if (m_scatterJobs.remove(jobId)) {
        if (m_scatterJobs.isEmpty()) {
            if (result == sw::Outcome::Completed) m_status->setText(tr("Curvature against RIS done."));
            Q_EMIT curvatureScatterFinished(outcome);
        }
        return;
    }
    if (m_summaryJobs.remove(jobId)) {
        if (m_summaryJobs.isEmpty()) {
            if (result != sw::Outcome::Failed) m_status->setText(tr("Summary table done (%1 rows).").arg(m_table->rowCount()));
            Q_EMIT summaryFinished(outcome);
        }
        return;
    }
    if (jobId == m_curvesJob) {
        m_curvesJob = -1;
        m_plot->flush();
        if (result == sw::Outcome::Completed) m_status->setText(tr("Curves done: %1 points.").arg(m_curveRows.size()));
        if (result == sw::Outcome::Cancelled) m_status->setText(tr("Curves cancelled; the points so far are kept."));
        Q_EMIT curvesFinished(outcome);
    }
}

QString StabilityPanel::exportCurvesCsv(const QString& path) const {
    try {
        sw::writeCurvesCsv(path.toStdString(), m_curveRows);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}
QString StabilityPanel::exportPlot(const QString& path) const {
    m_plot->flush();
    return savePlotFigure(m_plot->plot(), path);
}
QString StabilityPanel::exportTableCsv(const QString& path) const { return saveCsv(path, m_table->csvHeader(), m_table->rowsAsText()); }

void StabilityPanel::exportInteractively(ExportKind kind) {
    const QString folder = m_library->workspace().resultsFolder();
    QDir().mkpath(folder);
    QString path, error;
    if (kind == ExportKind::Plot) {
        path = QFileDialog::getSaveFileName(this, tr("Export the plot"), QDir(folder).filePath("stability.png"), figureFileFilter());
        if (!path.isEmpty()) error = exportPlot(path);
    } else if (kind == ExportKind::Curves) {
        path = QFileDialog::getSaveFileName(this, tr("Export the curves"), QDir(folder).filePath("stability.csv"), tr("CSV (*.csv)"));
        if (!path.isEmpty()) error = exportCurvesCsv(path);
    } else {
        path = QFileDialog::getSaveFileName(this, tr("Export the table"), QDir(folder).filePath("summary.csv"), tr("CSV (*.csv)"));
        if (!path.isEmpty()) error = exportTableCsv(path);
    }
    if (!path.isEmpty()) Q_EMIT statusMessage(error.isEmpty() ? tr("Saved %1").arg(path) : error);
}

}  // namespace sw::ui
