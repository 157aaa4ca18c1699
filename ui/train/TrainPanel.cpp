#include "train/TrainPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <cmath>
#include <cstdio>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QHeaderView>
#include <QProcessEnvironment>
#include <QSpinBox>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include "shell/JobController.h"
#include "shell/ModelLibrary.h"
#include "train/TrainingPlot.h"
#include "jobs/LocalTrainJob.h"
#include "explain/SaliencyMethods.h"
#include "jobs/TimelineRun.h"
#include "widgets/MatImage.h"
#include "widgets/ToolTip.h"

namespace sw::ui {

namespace {

QSpinBox* spinBox(int minimum, int maximum, int value, const QString& tooltip) {
    auto* box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setToolTip(tooltip);
    return box;
}

QDoubleSpinBox* doubleBox(double minimum, double maximum, double value, int decimals, const QString& tooltip) {
    auto* box = new QDoubleSpinBox;
    box->setRange(minimum, maximum);
    box->setDecimals(decimals);
    box->setValue(value);
    box->setSingleStep(std::pow(10.0, -decimals + 1) / 2);
    box->setToolTip(tooltip);
    return box;
}

/// The command-line program whose `train` runs each rank of a data-parallel run: SW_CLI, or saliency-cli
/// next to this program (installed), or in the build tree's cli folder.
QString saliencyCliProgram() {
    const QString configured = QProcessEnvironment::systemEnvironment().value("SW_CLI");
    if (!configured.isEmpty()) return configured;
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath("saliency-cli"), here.filePath("../cli/saliency-cli")}) {
        if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).canonicalFilePath();
    }
    return here.filePath("saliency-cli");
}

}  // namespace

TrainPanel::TrainPanel(ModelLibrary* library, JobController* jobs, QWidget* parent) : QWidget(parent), m_library(library), m_jobs(jobs) {
    auto* formHost = new QWidget;
    auto* formLayout = new QVBoxLayout(formHost);
    formLayout->addWidget(buildDataAndBudget());
    formLayout->addWidget(buildAdversarialSwitch());
    formLayout->addWidget(buildSmoothingSwitch());
    auto* runButtons = buildRunControls(formLayout);
    formLayout->addStretch();
    // The form scrolls up and down when the screen is short (720 pixels), never sideways; Train, Cancel and
    // Resume stay below it, always in view.
    m_formScroll = new QScrollArea;
    m_formScroll->setWidget(formHost);
    m_formScroll->setWidgetResizable(true);
    m_formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    fitFormWidth();
    auto* left = new QVBoxLayout;
    left->addWidget(m_formScroll, 1);
    left->addLayout(runButtons);

    auto* right = new QVBoxLayout;
    m_plot = new TrainingPlot;
    m_status = new QLabel(tr("Set up a run and press Train."));
    m_status->setWordWrap(true);
    m_ranks = new QTableWidget(0, 4);
    m_ranks->setObjectName("rankTable");
    m_ranks->setHorizontalHeaderLabels({tr("Rank"), tr("State"), tr("Step"), tr("Images/s")});
    m_ranks->verticalHeader()->hide();
    m_ranks->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ranks->horizontalHeader()->setStretchLastSection(true);
    m_ranks->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ranks->setToolTip(tr("The processes of this data-parallel run: each trains on its share of every batch"));
    m_ranks->hide();
    m_strip = new FittedImageLabel(Qt::SmoothTransformation);  // the frame shrinks to about half its size here
    m_strip->setObjectName("timelineStrip");
    m_strip->setAlignment(Qt::AlignCenter);
    m_strip->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);  // scales to the width, never widens the window
    m_strip->setFixedHeight(110);
    m_strip->hide();
    m_stripCaption = new QLabel;
    m_stripCaption->setObjectName("timelineCaption");
    m_stripCaption->setWordWrap(true);
    m_stripCaption->hide();
    right->addWidget(m_plot, 1);
    right->addWidget(m_strip);
    right->addWidget(m_stripCaption);
    right->addWidget(m_ranks);
    right->addWidget(m_status);

    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addLayout(right, 1);

    updateStagesForArchitecture();
    suggestName();
    connectControls();
}

QGroupBox* TrainPanel::buildDataAndBudget() {
    auto* basics = new QGroupBox(tr("Model and data"));
    auto* basicForm = new QFormLayout(basics);
    m_dataset = new QComboBox;
    m_dataset->setEditable(true);
    m_dataset->addItems({"fmnist", "mnist", "shapes:2000:1", "cifar10:/path/to/cifar-10-batches-bin", "imagefolder:/path/to/imagenette"});
    m_dataset->setToolTip(tr("Dataset spec: fmnist[:DIR], mnist[:DIR], cifar10:DIR, imagefolder:DIR, shapes[:N][:seed]"));
    m_arch = new QComboBox;
    m_arch->addItems({"lenet", "resnet18", "wrn-16-4", "resnet18-imagenet"});
    m_arch->setToolTip(tr("LeNet for 28×28 images (the paper's Fashion-MNIST model), ResNets and WRNs for colour images"));
    m_epochs = spinBox(1, 1000, 1, tr("Passes over the training set"));
    m_maxSteps = spinBox(0, 10000000, 0, tr("Stop after this many batches (0 = train for the epochs)"));
    m_maxSteps->setSpecialValueText(tr("no limit (the epochs)"));
    m_trainLimit = spinBox(0, 100000000, 0, tr("Train on the first N images only (0 = all) — for quick experiments"));
    m_trainLimit->setSpecialValueText(tr("all"));
    m_batchSize = spinBox(1, 4096, 32, tr("Images per batch"));
    m_optimizer = new QComboBox;
    m_optimizer->addItems({"adam", "sgd"});
    m_optimizer->setToolTip(tr("Adam (the paper's Fashion-MNIST optimiser) or SGD with momentum 0.9"));
    m_learningRate = doubleBox(1e-6, 10.0, 2e-3, 5, tr("Initial learning rate (cosine decay)"));
    m_seed = spinBox(0, 1000000, 0, tr("Random seed: same seed, same thread count, same model"));
    m_seed->setObjectName("trainSeed");
    basicForm->addRow(tr("Dataset"), m_dataset);
    basicForm->addRow(tr("Architecture"), m_arch);
    basicForm->addRow(tr("Epochs"), m_epochs);
    basicForm->addRow(tr("Max steps"), m_maxSteps);
    basicForm->addRow(tr("Train images"), m_trainLimit);
    basicForm->addRow(tr("Batch size"), m_batchSize);
    basicForm->addRow(tr("Optimiser"), m_optimizer);
    basicForm->addRow(tr("Learning rate"), m_learningRate);
    basicForm->addRow(tr("Seed"), m_seed);
    return basics;
}

QGroupBox* TrainPanel::buildAdversarialSwitch() {
    m_adversarial = new QGroupBox(tr("Adversarial training"));
    m_adversarial->setObjectName("adversarialSwitch");
    m_adversarial->setCheckable(true);
    m_adversarial->setChecked(false);
    m_adversarial->setToolTip(tr("Train on L∞ adversarial examples (Madry et al.'s PGD, or the fast FGSM with random start)"));
    auto* adversarialForm = new QFormLayout(m_adversarial);
    m_attack = new QComboBox;
    m_attack->addItem(tr("PGD"), "pgd");
    m_attack->addItem(tr("fast FGSM-RS"), "fgsm-rs");
    m_attack->addItem(tr("TRADES"), "trades");
    m_attack->setToolTip(tr("PGD: the paper's; FGSM-RS: one step, much faster; TRADES: clean/robust trade-off"));
    m_epsilon = doubleBox(0.0, 1.0, 0.1, 3, tr("L∞ radius ε in pixel units ([0, 1] images); the paper uses 0.1 on Fashion-MNIST"));
    m_attackSteps = spinBox(1, 1000, 10, tr("PGD iterations per batch"));
    m_stepSize = doubleBox(0.0, 1.0, 0.025, 4, tr("Attack step size (0 = ε/10 for PGD, 1.25ε for FGSM-RS)"));
    m_stepSize->setSpecialValueText(tr("auto"));
    m_adversarialFraction = doubleBox(0.0, 1.0, 1.0, 2, tr("Clean/adversarial mix: the loss weight of adversarial examples"));
    adversarialForm->addRow(tr("Attack"), m_attack);
    adversarialForm->addRow(tr("ε"), m_epsilon);
    adversarialForm->addRow(tr("Steps"), m_attackSteps);
    adversarialForm->addRow(tr("Step size"), m_stepSize);
    adversarialForm->addRow(tr("Adversarial share"), m_adversarialFraction);
    return m_adversarial;
}

QGroupBox* TrainPanel::buildSmoothingSwitch() {
    m_smoothing = new QGroupBox(tr("Smoothing block"));
    m_smoothing->setObjectName("smoothingSwitch");
    m_smoothing->setCheckable(true);
    m_smoothing->setChecked(false);
    m_smoothing->setToolTip(tr("Insert y = x + conv1×1(blur(x)) after an early layer"));
    auto* smoothingForm = new QFormLayout(m_smoothing);
    m_smoothKind = new QComboBox;
    m_smoothKind->addItems({"gaussian", "mean", "median"});
    m_smoothKind->setToolTip(tr("The blur: Gaussian (the paper's), mean or median (ablations)"));
    m_kernelSize = spinBox(1, 15, 3, tr("Blur kernel size (odd)"));
    m_kernelSize->setSingleStep(2);
    m_sigma = doubleBox(0.0, 10.0, 0.0, 2, tr("Gaussian σ in feature-map pixels (0 = the authors' rule from the map size)"));
    m_sigma->setSpecialValueText(tr("auto (the authors' rule)"));
    m_insertAfter = new QComboBox;
    m_insertAfter->setToolTip(tr("The stage after which the block is inserted"));
    smoothingForm->addRow(tr("Kind"), m_smoothKind);
    smoothingForm->addRow(tr("Kernel"), m_kernelSize);
    smoothingForm->addRow(tr("σ"), m_sigma);
    smoothingForm->addRow(tr("After"), m_insertAfter);
    return m_smoothing;
}

QLayout* TrainPanel::buildRunControls(QVBoxLayout* form) {
    auto* runRow = new QFormLayout;
    m_name = new QLineEdit;
    m_name->setToolTip(tr("File name of the new model in the workspace's models folder"));
    runRow->addRow(tr("Model name"), m_name);
    m_processes = spinBox(1, std::max(2, QThread::idealThreadCount()), 1, {});
    m_processes->setObjectName("processes");
    m_processes->setSpecialValueText(tr("this process"));
    m_processes->setSuffix(tr(" local processes"));
    std::string unavailable;
    if (sw::dataParallelAvailable(&unavailable)) {
        m_processes->setToolTip(
            wrappedToolTip(tr("1: train here. 2 or more: a data-parallel run, each process training on its share of every batch and the "
                              "gradients averaged over c10d (docs/SCALING.md). The batch size must divide evenly.")));
    } else {
        m_processes->setEnabled(false);
        m_processes->setToolTip(wrappedToolTip(tr("Data-parallel runs are not available: %1").arg(QString::fromStdString(unavailable))));
    }
    runRow->addRow(tr("Run on"), m_processes);
    m_recordTimeline = new QCheckBox(tr("Record saliency timeline"));
    m_recordTimeline->setObjectName("recordTimeline");
    m_recordTimeline->setToolTip(wrappedToolTip(
        tr("Every so often (about 24 times, log-spaced, and at each epoch's end) explain 12 test images with VG and IG and measure "
           "their maps, so the Timeline tab can replay how training shapes them (docs/TIMELINE.md). The newest maps show under the "
           "curves while it trains. Costs a fixed few seconds per run: noticeable on a one-epoch natural run, little on longer or "
           "adversarial ones.")));
    runRow->addRow(QString(), m_recordTimeline);
    auto* buttons = new QHBoxLayout;
    m_startButton = new QPushButton(tr("Train"));
    m_startButton->setObjectName("trainButton");
    m_startButton->setToolTip(tr("Start training on the background worker (Ctrl+Return)"));
    m_startButton->setShortcut(QKeySequence(tr("Ctrl+Return")));
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop training; a resumable checkpoint is kept"));
    m_cancelButton->setEnabled(false);
    m_resumeButton = new QPushButton(tr("Resume"));
    m_resumeButton->setObjectName("resumeButton");
    m_resumeButton->setToolTip(tr("Continue the cancelled run from its checkpoint"));
    m_resumeButton->setEnabled(false);
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_resumeButton);
    form->addLayout(runRow);
    return buttons;
}

void TrainPanel::fitFormWidth() {
    // As wide as the form needs beside its vertical scroll bar (fonts change it: presentation mode), no wider.
    const int needed = m_formScroll->widget()->minimumSizeHint().width() + m_formScroll->verticalScrollBar()->sizeHint().width() +
                       2 * m_formScroll->frameWidth();
    m_formScroll->setMinimumWidth(needed);
    m_formScroll->setMaximumWidth(std::max(needed, 440));
}

void TrainPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange && m_formScroll) fitFormWidth();
}

void TrainPanel::connectControls() {
    connect(m_arch, &QComboBox::currentIndexChanged, this, [this] {
        updateStagesForArchitecture();
        suggestName();
    });
    for (auto* group : {m_adversarial, m_smoothing}) connect(group, &QGroupBox::toggled, this, &TrainPanel::suggestName);
    connect(m_epsilon, &QDoubleSpinBox::valueChanged, this, &TrainPanel::suggestName);
    connect(m_smoothKind, &QComboBox::currentIndexChanged, this, &TrainPanel::suggestName);
    connect(m_insertAfter, &QComboBox::currentIndexChanged, this, &TrainPanel::suggestName);
    connect(m_attack, &QComboBox::currentIndexChanged, this, &TrainPanel::suggestName);
    connect(m_seed, &QSpinBox::valueChanged, this, &TrainPanel::suggestName);
    connect(m_dataset, &QComboBox::currentTextChanged, this, &TrainPanel::suggestName);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    connect(m_startButton, &QPushButton::clicked, this, &TrainPanel::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &TrainPanel::cancel);
    connect(m_resumeButton, &QPushButton::clicked, this, &TrainPanel::resume);
    connect(m_jobs, &JobController::jobFinished, this, &TrainPanel::onFinished);
}

void TrainPanel::updateStagesForArchitecture() {
    const QString arch = m_arch->currentText();
    m_insertAfter->clear();
    if (arch == "lenet")
        m_insertAfter->addItems({"pool1", "pool2"});
    else
        m_insertAfter->addItems({"stem", "layer1", "layer2", "layer3"});
}

void TrainPanel::suggestName() {
    if (m_nameEdited) return;
    QString name = QString(m_dataset->currentText()).section(':', 0, 0) + "-" + m_arch->currentText();
    if (m_adversarial->isChecked())
        name += QString("-%1-eps%2").arg(m_attack->currentData().toString()).arg(m_epsilon->value());
    else
        name += "-natural";
    if (m_smoothing->isChecked()) name += QString("-%1-%2").arg(m_smoothKind->currentText(), m_insertAfter->currentText());
    name += QString("-s%1").arg(m_seed->value());
    m_name->setText(name);
}

QString TrainPanel::outputPath() const {
    QString folder = m_library->workspace().modelsFolder();
    if (m_library->workspace().folder().isEmpty()) folder = QDir::home().filePath("saliency-models");
    const QString base = m_name->text().trimmed().isEmpty() ? QString("model") : m_name->text().trimmed();
    // Never overwrite an earlier model: a second run with the same settings gets a numbered name.
    QString path = QDir(folder).filePath(base + ".swm");
    for (int copy = 2; QFileInfo::exists(path); ++copy) path = QDir(folder).filePath(QString("%1-%2.swm").arg(base).arg(copy));
    return path;
}

sw::TrainRequest TrainPanel::request() const {
    sw::TrainRequest request;
    request.datasetSpec = m_dataset->currentText().trimmed().toStdString();
    request.device = m_jobs->computeDevice().toStdString();
    request.precision = m_jobs->trainingPrecision();
    request.arch = m_arch->currentText().toStdString();
    request.recipe.epochs = m_epochs->value();
    request.recipe.maxSteps = m_maxSteps->value();
    request.recipe.batchSize = m_batchSize->value();
    request.recipe.optimizer = m_optimizer->currentText().toStdString();
    request.recipe.learningRate = m_learningRate->value();
    request.recipe.seed = quint64(m_seed->value());
    request.trainLimit = m_trainLimit->value();
    if (m_adversarial->isChecked()) {
        request.recipe.adversarial.kind = m_attack->currentData().toString().toStdString();
        request.recipe.adversarial.epsilon = m_epsilon->value();
        request.recipe.adversarial.steps = m_attackSteps->value();
        request.recipe.adversarial.stepSize = m_stepSize->value();
        request.recipe.adversarial.adversarialFraction = m_adversarialFraction->value();
        request.evalRobust = true;
        request.evalLimit = 1000;  // robust accuracy costs a PGD attack per image; 1,000 keep the wait short
    }
    if (m_smoothing->isChecked()) {
        sw::SmoothingSpec block;
        block.kind = m_smoothKind->currentText().toStdString();
        block.after = m_insertAfter->currentText().toStdString();
        block.kernelSize = m_kernelSize->value();
        if (m_sigma->value() > 0) block.sigma = m_sigma->value();
        request.smoothing.push_back(block);
    }
    request.outputPath = outputPath().toStdString();
    request.timeline.enabled = m_recordTimeline->isChecked();
    return request;
}

void TrainPanel::setAdversarial(bool enabled, double epsilon, int steps) {
    m_adversarial->setChecked(enabled);
    m_epsilon->setValue(epsilon);
    m_attackSteps->setValue(steps);
    m_stepSize->setValue(2.5 * epsilon / steps);
}

void TrainPanel::setSmoothing(bool enabled, const QString& kind, const QString& after) {
    m_smoothing->setChecked(enabled);
    m_smoothKind->setCurrentText(kind);
    m_insertAfter->setCurrentText(after);
}

void TrainPanel::setBudget(int epochs, int maxSteps, int trainLimit) {
    m_epochs->setValue(epochs);
    m_maxSteps->setValue(maxSteps);
    m_trainLimit->setValue(trainLimit);
}

void TrainPanel::setDataset(const QString& spec) { m_dataset->setCurrentText(spec); }

void TrainPanel::setModelName(const QString& name) {
    m_name->setText(name);
    m_nameEdited = true;
}

void TrainPanel::setProcesses(int processes) { m_processes->setValue(processes); }

void TrainPanel::start() {
    if (m_jobId >= 0) return;
    submit(request(), m_processes->value());
}

bool TrainPanel::canResume() const {
    return m_jobId < 0 && !m_cancelledRequest.outputPath.empty() &&
           QFileInfo::exists(QString::fromStdString(m_cancelledRequest.outputPath) + ".ckpt");
}

void TrainPanel::resume() {
    if (!canResume()) return;
    auto continued = m_cancelledRequest;
    continued.resumeFrom = continued.outputPath + ".ckpt";
    submit(continued, m_cancelledProcesses);
}

void TrainPanel::submit(const sw::TrainRequest& trainRequest, int processes) {
    m_cancelledRequest = {};
    m_resumeButton->setEnabled(false);
    QDir().mkpath(QFileInfo(QString::fromStdString(trainRequest.outputPath)).absolutePath());
    m_runningOutput = QString::fromStdString(trainRequest.outputPath);
    m_runningWorkspace = m_library->workspace().folder();
    m_runningRequest = trainRequest;
    m_runningProcesses = processes;
    m_ranks->setRowCount(0);
    m_ranks->setVisible(processes > 1);
    if (trainRequest.resumeFrom.empty()) m_plot->clear();
    m_strip->setVisible(trainRequest.timeline.enabled);
    m_stripCaption->setVisible(trainRequest.timeline.enabled);
    m_stripCaption->setText(processes > 1 ? tr("Saliency timeline (recorded by rank 0): waiting for the first snapshot…")
                                          : tr("Saliency timeline: waiting for the first snapshot…"));
    m_strip->setImage({});
    m_stripSnapshots = 0;
    // The accuracy the trainer reports is on the batches it trains on: adversarial examples, if adversarial.
    m_plot->setAccuracyLabel(trainRequest.recipe.adversarial.enabled() ? tr("train accuracy (on adversarial examples)")
                                                                       : tr("train accuracy"));
    m_status->setText(tr("Starting %1…").arg(QFileInfo(m_runningOutput).fileName()));
    QPointer<TrainPanel> self(this);
    const sw::TrainObserver observer = [self](const sw::TrainProgress& progress) {
        JobController::deliver(self, [progress](TrainPanel& panel) {
            panel.onProgress(double(progress.step), double(progress.totalSteps), progress.loss, progress.accuracy,
                             progress.examplesPerSecond);
        });
    };
    const sw::TimelineObserver onSnapshot = [self](const sw::TimelineUpdate& update) {
        JobController::deliver(self, [update](TrainPanel& panel) { panel.onSnapshot(update); });
    };
    const QString title = tr("Train %1").arg(QFileInfo(m_runningOutput).fileName());
    if (processes > 1) {
        // Each rank is a saliency-cli process; this job starts them, relays their progress, snapshots and cancel.
        const std::string program = saliencyCliProgram().toStdString();
        m_jobId = m_jobs->submit(title, [self, trainRequest, processes, program, observer, onSnapshot](sw::Feedback& feedback) {
            const sw::RankObserver rankObserver = [self](const std::vector<sw::RankState>& ranks) {
                JobController::deliver(self, [ranks](TrainPanel& panel) { panel.onRanks(ranks); });
            };
            return sw::runTrainOnLocalRanks(trainRequest, processes, program, feedback, observer, rankObserver, onSnapshot);
        });
    } else {
        m_jobId = m_jobs->submit(title, [trainRequest, observer, onSnapshot](sw::Feedback& feedback) {
            sw::TrainSummary summary;
            auto result = sw::runTrainJob(trainRequest, feedback, observer, &summary, onSnapshot);
            if (result.outcome == sw::Outcome::Completed) {
                char text[256];
                std::snprintf(text, sizeof text, "%s: test accuracy %.2f %%", summary.badge.c_str(), 100.0 * summary.testAccuracy);
                result.message = text;
                if (summary.robustAccuracy) {
                    std::snprintf(text, sizeof text, ", robust %.2f %%", 100.0 * *summary.robustAccuracy);
                    result.message += text;
                }
            }
            return result;
        });
    }
    m_startButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
}

void TrainPanel::cancel() {
    if (m_jobId >= 0) m_jobs->cancel(m_jobId);
}

void TrainPanel::onProgress(double step, double totalSteps, double loss, double accuracy, double examplesPerSecond) {
    m_plot->addPoint(step, loss, accuracy);
    m_status->setText(tr("step %1 of %2 · loss %3 · %4 %5 % · %6 images/s")
                          .arg(step)
                          .arg(totalSteps)
                          .arg(loss, 0, 'f', 4)
                          .arg(m_plot->accuracyLabel())
                          .arg(100.0 * accuracy, 0, 'f', 1)
                          .arg(examplesPerSecond, 0, 'f', 0));
}

void TrainPanel::onRanks(const std::vector<sw::RankState>& ranks) {
    m_ranks->setRowCount(int(ranks.size()));
    for (const auto& rank : ranks) {
        QString state = QString::fromStdString(sw::phaseName(rank.phase));
        if (rank.phase == sw::RankState::Phase::Failed) state += " (" + QString::fromStdString(sw::describeExit(rank)) + ")";
        QString step = "–", speed = "–";
        if (rank.progress) {
            step = QString("%1 / %2").arg(rank.progress->step).arg(rank.progress->totalSteps);
            speed = QString::number(rank.progress->examplesPerSecond / double(ranks.size()), 'f', 0);
        }
        const QStringList cells{QString::number(rank.rank), state, step, speed};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            // Why it failed, as the rank reported it, then what the process printed last.
            QString tip;
            if (rank.phase == sw::RankState::Phase::Failed) tip = QString::fromStdString(sw::describeFailure(rank)) + "\n\n";
            tip += QString::fromStdString(rank.outputTail).trimmed().right(600);
            if (!tip.trimmed().isEmpty()) item->setToolTip(wrappedToolTip(tip.trimmed()));
            m_ranks->setItem(rank.rank, column, item);
        }
    }
    // As tall as its rows (up to a few), so the curves keep the room.
    int height = m_ranks->horizontalHeader()->sizeHint().height() + 2 * m_ranks->frameWidth();
    for (int row = 0; row < m_ranks->rowCount(); ++row) height += m_ranks->rowHeight(row);
    m_ranks->setFixedHeight(std::min(height, 180));
}

void TrainPanel::setRecordTimeline(bool record) { m_recordTimeline->setChecked(record); }

void TrainPanel::onSnapshot(const sw::TimelineUpdate& update) {
    if (update.index.snapshots.empty() || update.index.options.methods.empty()) return;
    const auto run = sw::timelineRunOf(update, QFileInfo(m_runningOutput).completeBaseName().toStdString());
    const auto& snapshot = update.index.snapshots.back();
    m_strip->setImage(
        matToQImage(sw::renderTimelineFrame({run}, snapshot.step, update.index.options.methods.front(), sw::HeatmapStyle(), 64)));
    ++m_stripSnapshots;
    const auto& firstMethod = update.index.options.methods.front();
    m_plot->addTimelinePoint(double(snapshot.step), snapshot.heldOutAccuracy, snapshot.measures.at(firstMethod).gini,
                             tr("%1 Gini (timeline)").arg(QString::fromStdString(sw::saliencyMethod(firstMethod).name)));
    QStringList gini;
    for (const auto& [method, measures] : snapshot.measures) {
        gini << tr("%1 Gini %2").arg(QString::fromStdString(sw::saliencyMethod(method).name)).arg(measures.gini, 0, 'f', 3);
    }
    QString caption = tr("Saliency timeline, snapshot %1 at step %2: held-out accuracy %3 %, %4")
                          .arg(update.index.snapshots.size())
                          .arg(snapshot.step)
                          .arg(100.0 * snapshot.heldOutAccuracy, 0, 'f', 1)
                          .arg(gini.join(", "));
    // The recording's cost is shown so that a user can weigh it (docs/TIMELINE.md, "What it costs"); a resumed
    // timeline from before costs were kept has none to show.
    if (const double cost = update.index.recordingCostSeconds(); std::isfinite(cost))
        caption += tr("; recording so far %1 s").arg(cost, 0, 'f', 1);
    m_stripCaption->setText(caption);
}

void TrainPanel::onFinished(int jobId, sw::Outcome outcome, const QString& message) {
    if (jobId != m_jobId) return;
    m_jobId = -1;
    m_startButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    const auto result = sw::Outcome(outcome);
    if (result == sw::Outcome::Completed) {
        m_status->setText(tr("Finished: %1").arg(message));
        // The model joins the workspace it was trained for, even if another one was opened meanwhile.
        if (m_library->workspace().folder() == m_runningWorkspace)
            m_library->addModelFile(m_runningOutput);
        else
            m_status->setText(tr("Finished: %1 — saved as %2").arg(message, m_runningOutput));
    } else if (result == sw::Outcome::Cancelled) {
        m_cancelledRequest = m_runningRequest;
        m_cancelledProcesses = m_runningProcesses;
        m_resumeButton->setEnabled(canResume());
        m_status->setText(
            canResume() ? tr("Cancelled. The progress is kept: press Resume to continue %1.").arg(QFileInfo(m_runningOutput).fileName())
                        : tr("Cancelled before the first checkpoint; Train starts again."));
    } else {
        m_status->setText(tr("Failed: %1").arg(message));
    }
    if (m_runningRequest.timeline.enabled && result != sw::Outcome::Failed) Q_EMIT timelineRecorded(m_runningOutput);
    Q_EMIT trainingFinished(int(outcome), m_runningOutput, message);
    Q_EMIT statusMessage(m_status->text());
}

}  // namespace sw::ui
