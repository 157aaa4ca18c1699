#include "compare/ComparePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QMenu>
#include <QLabel>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "explain/SaliencyMethods.h"
#include "widgets/FigureExport.h"
#include "compare/GeometryExplorer.h"
#include "compare/ImageBrowser.h"
#include "compare/MethodPicker.h"
#include "shell/JobController.h"
#include "shell/ModelLibrary.h"
#include "compare/OverlayGrid.h"
#include "compare/OverlayStyleBar.h"
#include "shell/MethodsHelp.h"
#include "widgets/ToolTip.h"

namespace sw::ui {

namespace {

constexpr int kNormalMaximumPictureSide = 224;
constexpr int kPresentationMaximumPictureSide = 480;

}  // namespace

ComparePanel::ComparePanel(ModelLibrary* library, JobController* jobs, QWidget* parent)
    : QWidget(parent), m_library(library), m_jobs(jobs), m_session(std::make_shared<sw::CompareSession>()) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);

    m_modelsNote = new QLabel;
    m_modelsNote->setObjectName("modelsNote");
    m_modelsNote->setWordWrap(true);
    m_modelsNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // wraps; never widens the window
    m_modelsNote->setVisible(false);
    layout->addWidget(m_modelsNote);

    auto* methodRow = new QHBoxLayout;
    auto* previous = new QToolButton;
    previous->setObjectName("previousImage");
    previous->setText("◀");
    previous->setToolTip(tr("Previous image (Page Up)"));
    auto* next = new QToolButton;
    next->setObjectName("nextImage");
    next->setText("▶");
    next->setToolTip(tr("Next image (Page Down)"));
    methodRow->addWidget(previous);
    methodRow->addWidget(next);
    m_methods = new MethodPicker;
    connect(m_methods, &MethodPicker::changed, this, [this] {
        updateCamLayers();
        relayout();
        recompute();
    });
    methodRow->addWidget(m_methods);
    m_camLayer = new QComboBox;
    m_camLayer->setObjectName("camLayer");
    m_camLayer->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_camLayer->setToolTip(
        wrappedToolTip(tr("The feature layer the CAMs look at: by default each model's last convolutional one. "
                          "Earlier layers give finer, less class-specific maps.")));
    m_camLayer->addItem(tr("Layer: default"), QString());
    m_camLayer->setVisible(false);
    connect(m_camLayer, &QComboBox::activated, this, [this] {
        m_wantedCamLayer = camLayer();
        recompute();
    });
    methodRow->addWidget(m_camLayer);
    methodRow->addWidget(makeHelpButton("method-vg", tr("What each method computes (Help → Methods and measures)")));
    methodRow->addSpacing(16);
    m_noiseLabel = new QLabel;
    m_noise = new QSlider(Qt::Horizontal);
    m_noise->setObjectName("noiseSlider");
    m_noise->setRange(0, 50);
    m_noise->setMinimumWidth(160);
    m_noise->setToolTip(
        wrappedToolTip(tr("Add Gaussian pixel noise σ to the image and recompute every cell: natural "
                          "models' maps fall apart, adversarially trained ones hold better")));
    m_noiseSeed = new QSpinBox;
    m_noiseSeed->setObjectName("noiseSeed");
    m_noiseSeed->setRange(0, 999999);
    m_noiseSeed->setPrefix(tr("seed "));
    m_noiseSeed->setToolTip(tr("The noise's random seed: the same σ and seed give the same noisy image"));
    methodRow->addWidget(new QLabel(tr("Noise")));
    methodRow->addWidget(m_noise);
    methodRow->addWidget(m_noiseLabel);
    methodRow->addWidget(m_noiseSeed);
    methodRow->addStretch();
    auto* exportButton = new QPushButton(tr("Export…"));
    exportButton->setObjectName("exportButton");
    m_exportButton = exportButton;
    exportButton->setToolTip(tr("Save the grid with its colour bar (PNG, SVG or PDF), or each cell as its own image"));
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

    m_statusRow = new QWidget;
    auto* statusRow = new QHBoxLayout(m_statusRow);
    statusRow->setContentsMargins(0, 0, 0, 0);
    m_probe = new QLabel;
    m_probe->setObjectName("pixelProbe");
    m_probe->setToolTip(tr("Every cell's value at the pixel under the cursor"));
    // The probe lists every cell, so its text can be far wider than the window: it gets what width there
    // is and elides the rest (the full text is in its tooltip), never asking the window to grow.
    m_probe->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_probe->setMinimumWidth(0);
    m_timing = new QLabel;
    m_timing->setObjectName("compareTiming");
    // Short enough to show whole; the probe beside it takes (and elides into) the rest of the row.
    m_timing->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_timing->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    statusRow->addWidget(m_probe, 1);
    statusRow->addWidget(m_timing);
    layout->addWidget(m_statusRow);

    m_grid->setStyle(m_styleBar->style());
    setNoiseSigma(0.0);

    connect(m_noise, &QSlider::valueChanged, this, [this](int value) {
        m_noiseLabel->setText(QString("σ = %1").arg(value / 100.0, 0, 'f', 2));
        recompute();
    });
    connect(m_noiseSeed, &QSpinBox::valueChanged, this, [this] {
        if (noiseSigma() > 0) recompute();
    });
    connect(previous, &QToolButton::clicked, this, [this] { m_browser->previous(); });
    connect(next, &QToolButton::clicked, this, [this] { m_browser->next(); });
    connect(m_styleBar, &OverlayStyleBar::styleChanged, m_grid, &OverlayGrid::setStyle);
    connect(m_styleBar, &OverlayStyleBar::signedAttributionChanged, this, [this] { recompute(); });
    connect(m_styleBar, &OverlayStyleBar::transposedChanged, this, &ComparePanel::applyOrientation);
    connect(m_grid, &OverlayGrid::probeChanged, this, [this](const QString& text) {
        m_probe->setText(m_probe->fontMetrics().elidedText(text, Qt::ElideRight, std::max(0, m_probe->width() - 4)));
        // The tooltip lists the cells one per line, so it stays narrow however many there are.
        m_probe->setToolTip(text.isEmpty() ? tr("Every cell's value at the pixel under the cursor")
                                           : wrappedToolTip(QString(text).replace("  |  ", "\n")));
    });
    connect(m_browser, &ImageBrowser::imageChosen, this, &ComparePanel::showDatasetSample);
    connect(m_grid, &OverlayGrid::exploreRequested, this, [this](int, int methodIndex) { openExplorer(methodIndex); });
    auto* exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("The grid as a figure…"), this, &ComparePanel::exportInteractively);
    exportMenu->addAction(tr("Each cell as an image…"), this, &ComparePanel::exportCellsInteractively);
    exportButton->setMenu(exportMenu);
    connect(m_library, &ModelLibrary::checkedModelsChanged, this, [this] {
        updateCamLayers();
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

GeometryExplorer* ComparePanel::openExplorer(int methodIndex) {
    const auto methods = chosenMethods();
    if (m_shownModels.isEmpty() || methodIndex < 0 || methodIndex >= methods.size()) return nullptr;
    ExplorerSubject subject;
    subject.models = m_shownModels;
    for (int m = 0; m < m_grid->modelCount(); ++m) subject.modelNames << m_grid->modelName(m);
    subject.method = methods[methodIndex];
    subject.methodName = m_grid->methodName(methodIndex);
    subject.datasetSpec = m_library->workspace().datasetSpec();
    subject.index = m_index;
    subject.imageFile = m_imageFile;
    subject.caption = m_imageFile.isEmpty() ? QString("%1 #%2").arg(subject.datasetSpec).arg(m_index) : QFileInfo(m_imageFile).fileName();
    subject.image = m_grid->image().clone();
    subject.style = m_grid->style().heatmap;
    subject.device = m_jobs->computeDevice();
    // Its own window, not modal: the grid stays usable beside it, and it goes when closed.
    auto* explorer = new GeometryExplorer(std::move(subject), m_jobs, this);
    explorer->setWindowFlag(Qt::Window);
    explorer->setAttribute(Qt::WA_DeleteOnClose);
    explorer->show();
    explorer->run();
    return explorer;
}

QVector<sw::SaliencyConfig> ComparePanel::chosenMethods() const {
    QVector<sw::SaliencyConfig> methods;
    for (const auto& id : m_methods->checkedIds()) {
        sw::SaliencyConfig config;
        config.method = id.toStdString();
        config.absolute = !m_styleBar->signedAttribution();
        if (sw::saliencyMethod(config.method).needs & sw::kNeedsFeatureLayer) config.camLayer = camLayer().toStdString();
        methods.push_back(config);
    }
    return methods;
}

void ComparePanel::updateCamLayers() {
    bool anyCam = false;
    for (const auto& id : m_methods->checkedIds()) anyCam = anyCam || (sw::saliencyMethod(id.toStdString()).needs & sw::kNeedsFeatureLayer);
    // Every checked model's layers, in the first model's order, then what the others add.
    QStringList layers;
    for (const auto& entry : m_library->checkedModels()) {
        for (const auto& layer : entry.description.value("feature_layers").toArray()) {
            if (!layers.contains(layer.toString())) layers << layer.toString();
        }
    }
    m_camLayer->clear();
    m_camLayer->addItem(tr("Layer: default"), QString());
    for (const auto& layer : layers) m_camLayer->addItem(tr("Layer: %1").arg(layer), layer);
    m_camLayer->setCurrentIndex(std::max(0, m_camLayer->findData(m_wantedCamLayer)));
    m_camLayer->setVisible(anyCam);
}

void ComparePanel::setCamLayer(const QString& layer) {
    m_wantedCamLayer = layer;
    m_camLayer->setCurrentIndex(std::max(0, m_camLayer->findData(layer)));
    relayout();
    recompute();
}

QString ComparePanel::camLayer() const { return m_camLayer->currentData().toString(); }

void ComparePanel::announceCost(const QVector<sw::SaliencyConfig>& methods) {
    if (m_shownModels.isEmpty()) return;
    const auto shape = m_library->checkedModels().front().description.value("input_shape").toArray();
    if (shape.size() != 3) return;
    // The method table says which methods take many passes (IG, the noise tunnels, Occlusion) and how many.
    QStringList costs;
    for (const auto& method : methods) {
        const auto cost = sw::describeCost(method, m_shownModels.size(), shape[1].toInt(), shape[2].toInt());
        if (!cost.empty())
            costs << tr("%1: %2").arg(QString::fromStdString(sw::saliencyMethod(method.method).name), QString::fromStdString(cost));
    }
    if (!costs.isEmpty()) Q_EMIT statusMessage(tr("One image per model; %1. Each cell shows when its map is done.").arg(costs.join("; ")));
}

void ComparePanel::relayout() {
    QStringList names, badges, methodNames;
    m_shownModels.clear();
    for (const auto& entry : m_library->checkedModels()) {
        names << entry.displayName();
        badges << entry.badge();
        m_shownModels.push_back(entry.reference());
    }
    for (const auto& method : chosenMethods()) methodNames << QString::fromStdString(method.displayName());
    m_grid->setLayoutOf(names, badges, methodNames);
    applyOrientation();
    applyPendingDifference();
}

void ComparePanel::applyOrientation() {
    // A projector's screen is wide: presentation mode lays the longer of models and methods along it, so five
    // models get large cells side by side instead of small ones in a scrolling column. Otherwise the user's choice.
    const bool wide = m_grid->modelCount() > m_grid->methodCount();
    m_grid->setTransposed(m_presentation ? wide : m_styleBar->transposed());
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

QJsonObject ComparePanel::viewState() const {
    QJsonArray difference;
    const auto methods = chosenMethods();
    for (int which = 0; which < 2; ++which) {
        const QPoint choice = m_grid->differenceChoice(which);
        if (choice.x() < 0 || choice.x() >= m_shownModels.size() || choice.y() >= methods.size()) continue;
        difference.append(QJsonObject{{"cell", which == 0 ? "A" : "B"},
                                      {"model", QString::fromStdString(m_shownModels[choice.x()].path)},
                                      {"method", QString::fromStdString(methods[choice.y()].method)}});
    }
    return {{"image_index", m_index},      {"image_file", m_imageFile},    {"methods", QJsonArray::fromStringList(checkedMethodIds())},
            {"noise_sigma", noiseSigma()}, {"noise_seed", noiseSeed()},    {"style", m_styleBar->viewState()},
            {"difference", difference},    {"cam_layer", m_wantedCamLayer}};
}

void ComparePanel::restoreViewState(const QJsonObject& state) {
    if (state.isEmpty()) return;
    m_styleBar->restoreViewState(state.value("style").toObject());
    QStringList methods;
    for (const auto& id : state.value("methods").toArray()) methods << id.toString();
    m_wantedCamLayer = state.value("cam_layer").toString();
    setCheckedMethodIds(methods);
    {
        const QSignalBlocker quiet(m_noiseSeed);
        m_noiseSeed->setValue(state.value("noise_seed").toInt());
    }
    {
        const QSignalBlocker quiet(m_noise);
        setNoiseSigma(state.value("noise_sigma").toDouble());
    }
    m_pendingDifference = state.value("difference").toArray();
    const QString file = state.value("image_file").toString();
    if (!file.isEmpty() && QFileInfo::exists(file))
        showImageFile(file);
    else
        showDatasetSample(state.value("image_index").toInteger());
    applyPendingDifference();
}

void ComparePanel::applyPendingDifference() {
    if (m_pendingDifference.isEmpty()) return;
    const auto methods = chosenMethods();
    // Models are read one by one: the cells are chosen once every one of them is in the grid.
    QVector<std::array<int, 3>> choices;  // which, model, method
    for (const auto& value : std::as_const(m_pendingDifference)) {
        const auto cell = value.toObject();
        int model = -1, method = -1;
        for (int m = 0; m < m_shownModels.size(); ++m) {
            if (QString::fromStdString(m_shownModels[m].path) == cell.value("model").toString()) model = m;
        }
        for (int k = 0; k < methods.size(); ++k) {
            if (QString::fromStdString(methods[k].method) == cell.value("method").toString()) method = k;
        }
        if (model < 0 || method < 0) return;
        choices.push_back({cell.value("cell").toString() == "B" ? 1 : 0, model, method});
    }
    for (const auto& [which, model, method] : choices) m_grid->chooseDifference(which, model, method);
    m_pendingDifference = {};
}

void ComparePanel::setNoiseSeed(int seed) { m_noiseSeed->setValue(seed); }

int ComparePanel::noiseSeed() const { return m_noiseSeed->value(); }

void ComparePanel::setPresentation(bool on) {
    m_grid->setMaximumPictureSide(on ? kPresentationMaximumPictureSide : kNormalMaximumPictureSide);
    m_presentation = on;
    applyOrientation();
    for (QWidget* extra : {static_cast<QWidget*>(m_styleBar), static_cast<QWidget*>(m_browser), m_statusRow,
                           static_cast<QWidget*>(m_exportButton), static_cast<QWidget*>(m_noiseSeed)}) {
        extra->setVisible(!on);
    }
    // The room goes to the grid; the note is back when presentation mode ends (the welcome says it too).
    m_modelsNote->setVisible(!on && !m_modelsNote->text().isEmpty());
}

void ComparePanel::setModelsNote(const QString& text) {
    m_modelsNote->setText(text);
    m_modelsNote->setVisible(!m_presentation && !text.isEmpty());
}

QStringList ComparePanel::checkedMethodIds() const { return m_methods->checkedIds(); }

void ComparePanel::setCheckedMethodIds(const QStringList& ids) {
    updateCamLayers();  // a restored view's layer, even when the methods stay
    if (ids.isEmpty() || ids == checkedMethodIds()) return;
    m_methods->setCheckedIds(ids);
    updateCamLayers();
    relayout();
    recompute();
}

void ComparePanel::recompute() {
    const auto methods = chosenMethods();
    if (m_shownModels.isEmpty() || methods.isEmpty()) return;
    announceCost(methods);
    sw::CompareRequest request;
    request.models.assign(m_shownModels.begin(), m_shownModels.end());
    request.methods.assign(methods.begin(), methods.end());
    request.datasetSpec = m_library->workspace().datasetSpec().toStdString();
    request.device = m_jobs->computeDevice().toStdString();
    request.index = m_index;
    request.imageFile = m_imageFile.toStdString();
    request.noiseSigma = noiseSigma();
    request.noiseSeed = quint64(m_noiseSeed->value());

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
                        if (panel.noiseSigma() > 0) {
                            caption += QString("  (+ noise σ = %1, seed %2)").arg(panel.noiseSigma(), 0, 'f', 2).arg(panel.noiseSeed());
                        }
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
        m_timing->setText(tr("first map %1 s · all %2 in %3 s")
                              .arg(m_firstCellMs / 1000.0, 0, 'f', 2)
                              .arg(m_grid->readyCellCount())
                              .arg(double(m_requestClock.nsecsElapsed()) / 1e9, 0, 'f', 2));
        m_timing->setToolTip(tr("Time from the request to the first finished map, and to the last one"));
        Q_EMIT comparisonFinished();
    } else if (outcome == sw::Outcome::Failed) {
        m_timing->setText(tr("failed"));
        m_timing->setToolTip(message);
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
    if (!checked.isEmpty()) model = checked.front().reference();
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

QString ComparePanel::exportCells(const QString& folder, int side, QStringList* written) const {
    if (!QDir().mkpath(folder)) return tr("%1: cannot create the folder").arg(folder);
    // File names keep letters, digits, dots and dashes; the rest becomes "_".
    auto safe = [](QString text) { return text.replace(QRegularExpression("[^A-Za-z0-9.\\-]+"), "_"); };
    int count = 0;
    for (int m = 0; m < m_grid->modelCount(); ++m) {
        for (int k = 0; k < m_grid->methodCount(); ++k) {
            const QImage image = m_grid->cellImage(m, k, side);
            if (image.isNull()) continue;
            const QString path = QDir(folder).filePath(safe(m_grid->modelName(m)) + "_" + safe(m_grid->methodName(k)) + ".png");
            if (const QString error = saveImageFile(image, path); !error.isEmpty()) return error;
            if (written) *written << path;
            ++count;
        }
    }
    return count > 0 ? QString() : tr("no cell has a map yet");
}

void ComparePanel::exportCellsInteractively() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder for the cell images"), m_library->workspace().resultsFolder());
    if (folder.isEmpty()) return;
    bool ok = false;
    const int side = QInputDialog::getInt(this, tr("Cell images"), tr("Side of each image in pixels (at least):"), 280, 28, 4096, 1, &ok);
    if (!ok) return;
    QStringList written;
    const QString error = exportCells(folder, side, &written);
    Q_EMIT statusMessage(error.isEmpty() ? tr("Saved %1 images in %2").arg(written.size()).arg(folder) : error);
}

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
