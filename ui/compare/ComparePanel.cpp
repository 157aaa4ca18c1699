#include "compare/ComparePanel.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

#include "explain/SaliencyMethods.h"
#include "widgets/FigureExport.h"
#include "compare/ImageBrowser.h"
#include "shell/JobController.h"
#include "shell/ModelLibrary.h"
#include "compare/OverlayGrid.h"
#include "compare/OverlayStyleBar.h"

namespace sw::ui {

namespace {

sw::ModelReference referenceOf(const ModelEntry& entry) {
    sw::ModelReference reference;
    reference.path = entry.path.toStdString();
    if (entry.inputShape.size() == 3)
        reference.inputShape = std::array<int64_t, 3>{entry.inputShape[0], entry.inputShape[1], entry.inputShape[2]};
    for (const auto& name : entry.classNames) reference.classNames.push_back(name.toStdString());
    return reference;
}

}  // namespace

ComparePanel::ComparePanel(ModelLibrary* library, JobController* jobs, QWidget* parent)
    : QWidget(parent), m_library(library), m_jobs(jobs), m_session(std::make_shared<sw::CompareSession>()) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);

    auto* methodRow = new QHBoxLayout;
    methodRow->addWidget(new QLabel(tr("Methods:")));
    for (const auto& method : sw::saliencyMethods()) {
        auto* box = new QCheckBox(QString::fromStdString(method.name));
        box->setChecked(method.shownByDefault);
        sw::SaliencyConfig defaults;  // the parameters the grid computes with
        defaults.method = method.id;
        box->setToolTip(QString::fromStdString(sw::describeSaliencyMethod(defaults)));
        box->setProperty("method", QString::fromStdString(method.id));
        connect(box, &QCheckBox::toggled, this, [this] {
            relayout();
            recompute();
        });
        m_methodBoxes.push_back(box);
        methodRow->addWidget(box);
    }
    methodRow->addSpacing(16);
    m_noiseLabel = new QLabel;
    m_noise = new QSlider(Qt::Horizontal);
    m_noise->setObjectName("noiseSlider");
    m_noise->setRange(0, 50);
    m_noise->setMinimumWidth(160);
    m_noise->setToolTip(
        tr("Add Gaussian pixel noise σ to the image and recompute every cell: natural models' maps "
           "fall apart, smoothed adversarial ones hold"));
    methodRow->addWidget(new QLabel(tr("Noise")));
    methodRow->addWidget(m_noise);
    methodRow->addWidget(m_noiseLabel);
    methodRow->addStretch();
    auto* exportButton = new QPushButton(tr("Export figure…"));
    exportButton->setToolTip(tr("Save the grid with its colour bar as PNG, SVG or PDF"));
    methodRow->addWidget(exportButton);
    layout->addLayout(methodRow);

    m_styleBar = new OverlayStyleBar;
    layout->addWidget(m_styleBar);

    auto* splitter = new QSplitter;
    m_browser = new ImageBrowser;
    m_browser->setMinimumWidth(200);
    m_grid = new OverlayGrid;
    splitter->addWidget(m_browser);
    splitter->addWidget(m_grid);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 900});
    layout->addWidget(splitter, 1);

    auto* statusRow = new QHBoxLayout;
    m_probe = new QLabel;
    m_probe->setObjectName("pixelProbe");
    m_probe->setToolTip(tr("Every cell's value at the pixel under the cursor"));
    m_timing = new QLabel;
    m_timing->setObjectName("compareTiming");
    statusRow->addWidget(m_probe, 1);
    statusRow->addWidget(m_timing);
    layout->addLayout(statusRow);

    m_grid->setStyle(m_styleBar->style());
    setNoiseSigma(0.0);

    connect(m_noise, &QSlider::valueChanged, this, [this](int value) {
        m_noiseLabel->setText(QString("σ = %1").arg(value / 100.0, 0, 'f', 2));
        recompute();
    });
    connect(m_styleBar, &OverlayStyleBar::styleChanged, m_grid, &OverlayGrid::setStyle);
    connect(m_styleBar, &OverlayStyleBar::signedAttributionChanged, this, [this] { recompute(); });
    connect(m_styleBar, &OverlayStyleBar::transposedChanged, m_grid, &OverlayGrid::setTransposed);
    connect(m_grid, &OverlayGrid::probeChanged, m_probe, &QLabel::setText);
    connect(m_browser, &ImageBrowser::imageChosen, this, &ComparePanel::showDatasetSample);
    connect(exportButton, &QPushButton::clicked, this, &ComparePanel::exportInteractively);
    connect(m_library, &ModelLibrary::checkedModelsChanged, this, [this] {
        relayout();
        recompute();
        reloadOverview();
    });
    connect(m_library, &ModelLibrary::workspaceChanged, this, [this] {
        // Another workspace or dataset: start again from its first image.
        if (m_library->workspace().datasetSpec() != m_shownDataset) {
            m_shownDataset = m_library->workspace().datasetSpec();
            m_index = 0;
            m_imageFile.clear();
            recompute();
        }
        reloadOverview();
    });
    connect(m_jobs, &JobController::jobFinished, this, &ComparePanel::onJobFinished);

    auto* nextShortcut = new QShortcut(QKeySequence(Qt::Key_PageDown), this, [this] { m_browser->next(); });
    auto* previousShortcut = new QShortcut(QKeySequence(Qt::Key_PageUp), this, [this] { m_browser->previous(); });
    auto* transposeShortcut =
        new QShortcut(QKeySequence(tr("Ctrl+T")), this, [this] { m_styleBar->setTransposed(!m_styleBar->transposed()); });
    for (auto* shortcut : {nextShortcut, previousShortcut, transposeShortcut}) shortcut->setContext(Qt::WidgetWithChildrenShortcut);
}

QVector<sw::SaliencyConfig> ComparePanel::chosenMethods() const {
    QVector<sw::SaliencyConfig> methods;
    for (const auto* box : m_methodBoxes) {
        if (!box->isChecked()) continue;
        sw::SaliencyConfig config;
        config.method = box->property("method").toString().toStdString();
        config.absolute = !m_styleBar->signedAttribution();
        methods.push_back(config);
    }
    return methods;
}

void ComparePanel::relayout() {
    QStringList names, badges, methodNames;
    m_shownModels.clear();
    for (const auto& entry : m_library->checkedModels()) {
        names << entry.displayName();
        badges << entry.badge();
        m_shownModels.push_back(referenceOf(entry));
    }
    for (const auto& method : chosenMethods()) methodNames << QString::fromStdString(method.displayName());
    m_grid->setLayoutOf(names, badges, methodNames);
}

void ComparePanel::setNoiseSigma(double sigma) {
    m_noise->setValue(int(std::lround(sigma * 100.0)));
    m_noiseLabel->setText(QString("σ = %1").arg(m_noise->value() / 100.0, 0, 'f', 2));
}

double ComparePanel::noiseSigma() const { return m_noise->value() / 100.0; }

void ComparePanel::showDatasetSample(qint64 index) {
    m_index = index;
    m_imageFile.clear();
    m_browser->showCurrent(index);
    recompute();
}

void ComparePanel::showImageFile(const QString& path) {
    m_imageFile = path;
    recompute();
}

void ComparePanel::setPictureSide(int pixels) { m_grid->setPictureSide(pixels); }

void ComparePanel::recompute() {
    const auto methods = chosenMethods();
    if (m_shownModels.isEmpty() || methods.isEmpty()) return;
    sw::CompareRequest request;
    request.models.assign(m_shownModels.begin(), m_shownModels.end());
    request.methods.assign(methods.begin(), methods.end());
    request.datasetSpec = m_library->workspace().datasetSpec().toStdString();
    request.device = m_jobs->computeDevice().toStdString();
    request.index = m_index;
    request.imageFile = m_imageFile.toStdString();
    request.noiseSigma = noiseSigma();
    request.noiseSeed = quint64(m_index) + 1;

    const int generation = ++m_generation;
    ++m_computeCount;
    m_computing = true;
    m_requestClock.start();
    m_firstCellMs = -1.0;
    QPointer<ComparePanel> self(this);
    auto session = m_session;
    const QString title = m_imageFile.isEmpty() ? tr("Compare #%1").arg(m_index) : tr("Compare %1").arg(QFileInfo(m_imageFile).fileName());
    const int jobId = m_jobs->submit(
        title,
        [self, session, request, generation](sw::Feedback& feedback) {
            return session->compare(
                request, feedback,
                [&](const sw::CompareImage& image) {
                    JobController::deliver(self, [image, generation](ComparePanel& panel) {
                        if (generation != panel.m_generation) return;  // a newer request owns the grid
                        QString caption = QString::fromStdString(image.source);
                        if (image.label >= 0 && size_t(image.label) < image.classNames.size()) {
                            caption += " — " + QString::fromStdString(image.classNames[size_t(image.label)]);
                        }
                        if (panel.noiseSigma() > 0) caption += QString("  (+ noise σ = %1)").arg(panel.noiseSigma(), 0, 'f', 2);
                        panel.m_grid->beginNewImage();
                        panel.m_grid->setImage(image.pixels, image.label, caption);
                    });
                },
                [&](const sw::CompareCell& cell) {
                    JobController::deliver(self, [cell, generation](ComparePanel& panel) {
                        if (generation != panel.m_generation) return;
                        if (panel.m_firstCellMs < 0) panel.m_firstCellMs = double(panel.m_requestClock.nsecsElapsed()) / 1e6;
                        panel.m_grid->setCell(int(cell.modelIndex), int(cell.methodIndex), GridCellData::from(cell));
                    });
                });
        },
        JobLane::Interactive, "compare");
    m_currentJobId = jobId;
}

void ComparePanel::onJobFinished(int jobId, sw::Outcome outcome, const QString& message) {
    if (jobId != m_currentJobId) return;
    m_currentJobId = -1;
    m_computing = false;
    if (outcome == sw::Outcome::Completed) {
        m_timing->setText(tr("first map after %1 ms · all %2 after %3 ms")
                              .arg(m_firstCellMs, 0, 'f', 0)
                              .arg(m_grid->readyCellCount())
                              .arg(double(m_requestClock.nsecsElapsed()) / 1e6, 0, 'f', 0));
        Q_EMIT comparisonFinished();
    } else if (outcome == sw::Outcome::Failed) {
        m_timing->setText(tr("failed: %1").arg(message));
        Q_EMIT statusMessage(tr("Compare failed: %1").arg(message));
    }
}

void ComparePanel::reloadOverview() {
    const auto checked = m_library->checkedModels();
    const QString spec = m_library->workspace().datasetSpec();
    const QString key = spec + "|" + (checked.isEmpty() ? QString() : checked.front().path);
    if (key == m_overviewKey || spec.isEmpty()) return;
    m_overviewKey = key;
    std::optional<sw::ModelReference> model;
    if (!checked.isEmpty()) model = referenceOf(checked.front());
    m_browser->setStatus(tr("loading %1…").arg(spec));
    auto session = m_session;
    const std::string datasetSpec = spec.toStdString();
    const std::string device = m_jobs->computeDevice().toStdString();
    // Filled on the worker; read in the finished callback, which runs after the job body returned.
    auto overview = std::make_shared<sw::DatasetOverview>();
    m_jobs->submit(
        tr("Browse %1").arg(spec),
        [session, datasetSpec, model, device, overview](sw::Feedback& feedback) {
            return session->overview(datasetSpec, model, device, feedback, overview.get());
        },
        this,
        [this, overview](const sw::JobResult& result) {
            if (result.outcome == sw::Outcome::Completed) {
                m_browser->setOverview(*overview);
                return;
            }
            m_overviewKey.clear();  // so that the next change retries
            m_browser->setStatus(QString::fromStdString(result.message));
        },
        JobLane::Interactive, "overview");
}

QString ComparePanel::exportFigure(const QString& path) const { return saveWidgetFigure(m_grid->figureWidget(), path); }

void ComparePanel::exportInteractively() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the compare grid"), QDir(m_library->workspace().resultsFolder()).filePath("compare.png"), figureFileFilter());
    if (path.isEmpty()) return;
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QString error = exportFigure(path);
    Q_EMIT statusMessage(error.isEmpty() ? tr("Saved %1").arg(path) : error);
}

void ComparePanel::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void ComparePanel::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile()) return;
    const QString path = urls.front().toLocalFile();
    if (path.endsWith(".swm", Qt::CaseInsensitive) || path.endsWith(".pt", Qt::CaseInsensitive)) {
        m_library->addModelFile(path);
    } else {
        showImageFile(path);
    }
    event->acceptProposedAction();
}

}  // namespace sw::ui
