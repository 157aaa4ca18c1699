#include "shell/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

#include "compare/ComparePanel.h"
#include "shell/JobController.h"
#include "shell/JobsPanel.h"
#include "shell/ModelLibrary.h"
#include "shell/ModelListPanel.h"
#include "stability/StabilityPanel.h"
#include "train/TrainPanel.h"
#include "util/SystemInfo.h"

namespace sw::ui {

namespace {
constexpr int kRecentWorkspaces = 8;
constexpr int kNormalPictureSide = 160;
constexpr int kPresentationPictureSide = 280;
}  // namespace

MainWindow::MainWindow(Options options) {
    setObjectName("mainWindow");
    m_jobs = new JobController(this);
    m_library = new ModelLibrary(m_jobs, this);
    m_normalFont = QApplication::font();

    m_tabs = new QTabWidget;
    m_compare = new ComparePanel(m_library, m_jobs);
    m_stability = new StabilityPanel(m_library, m_jobs);
    m_train = new TrainPanel(m_library, m_jobs);
    m_tabs->addTab(m_compare, tr("Compare"));
    m_tabs->addTab(m_stability, tr("Stability lab"));
    m_tabs->addTab(m_train, tr("Train"));
    m_tabs->setTabToolTip(0, tr("Saliency maps of the checked models side by side (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("Stability curves and the summary table (Ctrl+2)"));
    m_tabs->setTabToolTip(2, tr("Train a model, natural or adversarial, with or without smoothing (Ctrl+3)"));
    setCentralWidget(m_tabs);

    m_modelList = new ModelListPanel(m_library);
    auto* modelsDock = new QDockWidget(tr("Models"));
    modelsDock->setObjectName("modelsDock");
    modelsDock->setWidget(m_modelList);
    addDockWidget(Qt::LeftDockWidgetArea, modelsDock);
    m_jobsPanel = new JobsPanel(m_jobs);
    auto* jobsDock = new QDockWidget(tr("Jobs"));
    jobsDock->setObjectName("jobsDock");
    jobsDock->setWidget(m_jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);

    m_errorLabel = new QLabel;
    m_errorLabel->setStyleSheet("color: #c8102e");
    statusBar()->addPermanentWidget(m_errorLabel);
    m_deviceLabel = new QLabel;
    m_deviceLabel->setObjectName("computeDeviceLabel");
    statusBar()->addPermanentWidget(m_deviceLabel);
    setComputeChoice(ComputeChoice::load());
    connect(m_jobsPanel, &JobsPanel::errorReported, this, [this](const QString& message) {
        m_errorLabel->setText(message.left(160));
        m_errorLabel->setToolTip(message);
    });
    auto showStatus = [this](const QString& message) { statusBar()->showMessage(message); };
    connect(m_jobsPanel, &JobsPanel::statusMessage, this, showStatus);
    connect(m_compare, &ComparePanel::statusMessage, this, showStatus);
    connect(m_stability, &StabilityPanel::statusMessage, this, showStatus);
    connect(m_train, &TrainPanel::statusMessage, this, showStatus);
    connect(m_library, &ModelLibrary::modelRejected, this,
            [this](const QString& path, const QString& message) { showError(tr("Could not load %1:\n\n%2").arg(path, message)); });
    connect(m_library, &ModelLibrary::workspaceChanged, this, &MainWindow::updateTitle);
    connect(m_library, &ModelLibrary::workspaceNotSaved, this, [this](const QString& message) {
        m_errorLabel->setText(tr("Workspace not saved (it still works until you close it)"));
        m_errorLabel->setToolTip(message);
    });

    buildMenus();
    resize(1400, 900);
    resizeDocks({jobsDock}, {140}, Qt::Vertical);
    resizeDocks({modelsDock}, {300}, Qt::Horizontal);
    QSettings settings;
    if (options.restoreSession) {
        restoreGeometry(settings.value("window/geometry").toByteArray());
        restoreState(settings.value("window/state").toByteArray());
        const QString last = settings.value("workspaces/last").toString();
        if (last.isEmpty() || !openWorkspace(last, false).isEmpty()) openDemoWorkspace(false);
    }
    updateTitle();
}

MainWindow::~MainWindow() {
    // The workers must stop before the objects their jobs report to go away.
    delete m_jobs;
    m_jobs = nullptr;
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open workspace…"), this, &MainWindow::chooseWorkspace);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open (or create) a workspace folder"));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addAction(tr("Open the &demo workspace"), this, [this] { openDemoWorkspace(); });
    file->addAction(tr("Open a re&production report…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a folder written by saliency-cli reproduce"));
        if (!folder.isEmpty()) openReport(folder);
    });
    file->addSeparator();
    auto* load = file->addAction(tr("&Load model…"), m_modelList, &ModelListPanel::loadModelInteractively);
    load->setShortcut(QKeySequence(tr("Ctrl+L")));
    file->addAction(tr("Set &dataset…"), this, &MainWindow::chooseDataset);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* preferences = edit->addAction(tr("&Preferences…"), this, &MainWindow::editPreferences);
    preferences->setShortcut(QKeySequence::Preferences);
    preferences->setToolTip(tr("Compute device (CPU or a GPU) and deterministic computation"));

    auto* view = menuBar()->addMenu(tr("&View"));
    for (int tab = 0; tab < m_tabs->count(); ++tab) {
        auto* action = view->addAction(m_tabs->tabText(tab), this, [this, tab] { m_tabs->setCurrentIndex(tab); });
        action->setShortcut(QKeySequence(QString("Ctrl+%1").arg(tab + 1)));
    }
    view->addSeparator();
    m_presentationAction = view->addAction(tr("&Presentation mode"), this, [this](bool on) { setPresentationMode(on); });
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentationAction->setToolTip(tr("Full screen with larger fonts and cells, for classrooms"));
    auto* cancelAll = view->addAction(tr("Cancel all jobs"), m_jobs, &JobController::cancelAll);
    cancelAll->setShortcut(QKeySequence(tr("Ctrl+Shift+X")));

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, [this] {
        QMessageBox::about(
            this, tr("Saliency Workbench"),
            tr("<b>Saliency Workbench</b><p>Train or load image classifiers, switch adversarial training and "
               "a feature-map smoothing block on and off, and compare gradient saliency maps and their "
               "stability side by side.</p><p>Shortcuts: Ctrl+1/2/3 tabs · Page Up/Down previous/next image · "
               "Ctrl+T transpose · Ctrl+L load model · Ctrl+R plot curves · Ctrl+Return train · F11 presentation.</p>") +
                "<p>" + QString::fromStdString(sw::describeSystem(sw::querySystemInfo())).trimmed().toHtmlEscaped().replace("\n", "<br>") +
                "</p>");
    });
    refreshRecentMenu();
}

QString MainWindow::openWorkspace(const QString& folder, bool interactive) {
    const QString error = m_library->openWorkspace(folder);
    if (!error.isEmpty()) {
        if (interactive) showError(error);
        return error;
    }
    rememberWorkspace(m_library->workspace().folder());
    return {};
}

QString MainWindow::openDemoWorkspace(bool interactive) {
    const QString error = m_library->openDemoWorkspace();
    if (!error.isEmpty()) {
        if (interactive) showError(error);
        statusBar()->showMessage(error);
        return error;
    }
    rememberWorkspace(m_library->workspace().folder());
    return {};
}

QString MainWindow::openReport(const QString& folder, bool interactive) {
    if (const QString error = openWorkspace(folder, interactive); !error.isEmpty()) return error;
    const QString error = m_stability->loadReport(folder);
    if (!error.isEmpty()) {
        if (interactive) showError(error);
        return error;
    }
    m_tabs->setCurrentWidget(m_stability);
    return {};
}

void MainWindow::rememberWorkspace(const QString& folder) {
    QSettings settings;
    auto recent = settings.value("workspaces/recent").toStringList();
    recent.removeAll(folder);
    recent.prepend(folder);
    while (recent.size() > kRecentWorkspaces) recent.removeLast();
    settings.setValue("workspaces/recent", recent);
    settings.setValue("workspaces/last", folder);
    refreshRecentMenu();
}

void MainWindow::refreshRecentMenu() {
    m_recentMenu->clear();
    const auto recent = QSettings().value("workspaces/recent").toStringList();
    for (const auto& folder : recent) m_recentMenu->addAction(folder, this, [this, folder] { openWorkspace(folder); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::chooseWorkspace() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open or create a workspace folder"));
    if (!folder.isEmpty()) openWorkspace(folder);
}

void MainWindow::chooseDataset() {
    bool ok = false;
    const QString spec = QInputDialog::getText(
        this, tr("Dataset"), tr("Dataset spec (fmnist[:DIR][:split], mnist, cifar10:DIR, imagefolder:DIR, shapes[:N][:seed]):"),
        QLineEdit::Normal, m_library->workspace().datasetSpec(), &ok);
    if (ok && !spec.trimmed().isEmpty()) m_library->setDatasetSpec(spec.trimmed());
}

void MainWindow::setPresentationMode(bool on) {
    m_presentation = on;
    m_presentationAction->setChecked(on);
    QFont font = m_normalFont;
    if (on) font.setPointSizeF(font.pointSizeF() * 1.5);
    QApplication::setFont(font);
    m_compare->setPictureSide(on ? kPresentationPictureSide : kNormalPictureSide);
    if (on)
        showFullScreen();
    else
        showNormal();
}

void MainWindow::showError(const QString& message) {
    m_errorLabel->setText(message.section('\n', 0, 0).left(160));
    // Opened, not exec()'d: the event loop (and any running job's progress) keeps going behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Saliency Workbench"), message, QMessageBox::Ok, this);
    box->setObjectName("errorDialog");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::updateTitle() {
    const auto& workspace = m_library->workspace();
    setWindowTitle(workspace.folder().isEmpty() ? tr("Saliency Workbench")
                                                : tr("%1 — %2 — Saliency Workbench").arg(workspace.name(), workspace.datasetSpec()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_train->isTraining()) {
        const auto answer = QMessageBox::question(this, tr("Saliency Workbench"),
                                                  tr("A model is still training. Stop it and quit? Its checkpoint is kept."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    if (m_presentation) setPresentationMode(false);
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    m_jobs->cancelAll();
    event->accept();
}

void MainWindow::setComputeChoice(const ComputeChoice& choice) {
    choice.save();
    choice.applyProcessWide();
    m_jobs->setComputeDevice(choice.device);
    const QString description = describeComputeDevice(choice.device);
    m_deviceLabel->setText(description);
    m_deviceLabel->setToolTip(description + tr(" — change it in Edit → Preferences"));
}

void MainWindow::editPreferences() {
    ComputePreferencesDialog dialog(ComputeChoice::load(), this);
    if (dialog.exec() == QDialog::Accepted) setComputeChoice(dialog.choice());
}

}  // namespace sw::ui
