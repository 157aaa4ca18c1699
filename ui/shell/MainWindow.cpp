#include "shell/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "compare/ComparePanel.h"
#include "data/DatasetSpec.h"
#include "jobs/JobEdge.h"
#include "shell/JobController.h"
#include "shell/JobsPanel.h"
#include "shell/MethodsHelp.h"
#include "shell/UiProbe.h"
#include "widgets/WheelGuard.h"
#include "shell/ModelLibrary.h"
#include "shell/ModelListPanel.h"
#include "stability/StabilityPanel.h"
#include "study/StudyPanel.h"
#include "timeline/TimelinePanel.h"
#include "train/TrainPanel.h"
#include "util/SystemInfo.h"

namespace sw::ui {

namespace {
constexpr int kRecentWorkspaces = 8;
constexpr const char* kWelcomeSetting = "welcome/showAtStart";
}  // namespace

MainWindow::MainWindow(Options options) {
    setObjectName("mainWindow");
    WheelGuard::install();
    m_jobs = new JobController(this);
    m_library = new ModelLibrary(m_jobs, this);
    m_normalFont = QApplication::font();

    m_tabs = new QTabWidget;
    m_compare = new ComparePanel(m_library, m_jobs);
    m_stability = new StabilityPanel(m_library, m_jobs);
    m_train = new TrainPanel(m_library, m_jobs);
    m_study = new StudyPanel(m_library, m_jobs);
    m_timeline = new TimelinePanel(m_jobs);
    m_tabs->addTab(m_compare, tr("Compare"));
    m_tabs->addTab(m_stability, tr("Stability lab"));
    m_tabs->addTab(m_train, tr("Train"));
    m_tabs->addTab(m_study, tr("Study"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_tabs->setTabToolTip(0, tr("Saliency maps of the checked models side by side (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("Stability curves and the summary table (Ctrl+2)"));
    m_tabs->setTabToolTip(2, tr("Train a model, natural or adversarial, with or without smoothing (Ctrl+3)"));
    m_tabs->setTabToolTip(3, tr("Human studies: stimuli, participants, the browser study and the report (Ctrl+4)"));
    m_tabs->setTabToolTip(4, tr("Recorded runs side by side: watch the saliency maps change as the models train (Ctrl+5)"));
    setCentralWidget(m_tabs);

    m_modelList = new ModelListPanel(m_library);
    auto* modelsDock = m_modelsDock = new QDockWidget(tr("Models"));
    modelsDock->setObjectName("modelsDock");
    modelsDock->setWidget(m_modelList);
    addDockWidget(Qt::LeftDockWidgetArea, modelsDock);
    m_jobsPanel = new JobsPanel(m_jobs);
    auto* jobsDock = m_jobsDock = new QDockWidget(tr("Jobs"));
    jobsDock->setObjectName("jobsDock");
    jobsDock->setWidget(m_jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);

    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName("errorLabel");
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
    connect(m_jobsPanel, &JobsPanel::statusMessage, this, [this](const QString& message) {
        // A job that succeeded after an error: the error is history, so the status bar lets it go.
        m_errorLabel->clear();
        m_errorLabel->setToolTip({});
        statusBar()->showMessage(message);
    });
    connect(m_compare, &ComparePanel::statusMessage, this, showStatus);
    connect(m_stability, &StabilityPanel::statusMessage, this, showStatus);
    connect(m_train, &TrainPanel::statusMessage, this, showStatus);
    connect(m_study, &StudyPanel::statusMessage, this, showStatus);
    connect(m_timeline, &TimelinePanel::statusMessage, this, showStatus);
    connect(m_train, &TrainPanel::timelineRecorded, m_timeline, &TimelinePanel::addRun);
    connect(m_library, &ModelLibrary::modelRejected, this, [this](const QString& path, const QString& message) {
        // Name the file once: most messages already start with it.
        showError(message.contains(QFileInfo(path).fileName()) ? message : tr("%1: %2").arg(path, message));
    });
    connect(m_library, &ModelLibrary::workspaceChanged, this, &MainWindow::updateTitle);
    connect(m_library, &ModelLibrary::workspaceNotSaved, this, [this](const QString& message) {
        m_errorLabel->setText(tr("Workspace not saved (it still works until you close it)"));
        m_errorLabel->setToolTip(message);
    });

    buildMenus();
    // The first start's size, but never larger than the screen.
    const QSize available = screen()->availableGeometry().size();
    resize(std::min(1400, available.width()), std::min(900, available.height()));
    resizeDocks({jobsDock}, {110}, Qt::Vertical);
    resizeDocks({modelsDock}, {300}, Qt::Horizontal);
    // On a small screen the empty job list would take the room the demo's third row needs: it starts hidden,
    // and opens by itself when a long job (training, curves, an evaluation) starts (View → Jobs toggles it).
    if (available.height() <= 800) jobsDock->hide();
    connect(m_jobs, &JobController::jobQueued, this, [this](int, const QString&, bool transient) {
        if (!transient && !m_presentation && !m_jobsDock->isVisible()) m_jobsDock->show();
    });
    QSettings settings;
    if (options.restoreSession) {
        restoreGeometry(settings.value("window/geometry").toByteArray());
        restoreState(settings.value("window/state").toByteArray());
        keepOnScreen();  // a geometry saved on a larger screen (or by an older version) must not outgrow this one
        const QString last = settings.value("workspaces/last").toString();
        if (last.isEmpty() || !openWorkspace(last, false).isEmpty()) openDemoWorkspace(false);
        // A study left open comes back, and a participant who stopped early (a crash, kill -9) is offered first.
        if (m_study->reopenLastStudy() && !m_study->unfinishedParticipants().isEmpty()) m_tabs->setCurrentWidget(m_study);
        if (settings.value(kWelcomeSetting, true).toBool()) QTimer::singleShot(0, this, &MainWindow::showWelcome);
    }
    updateTitle();
    UiProbe::attachIfRequested(this);
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
    file->addAction(tr("&New study…"), this, [this] {
        m_tabs->setCurrentWidget(m_study);
        m_study->newStudy();
    });
    file->addAction(tr("Open s&tudy…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a study folder"));
        if (folder.isEmpty()) return;
        m_tabs->setCurrentWidget(m_study);
        const QString problem = m_study->openStudy(folder);
        if (!problem.isEmpty()) QMessageBox::warning(this, tr("Open study"), problem);
    });
    file->addSeparator();
    auto* load = file->addAction(tr("&Load model…"), m_modelList, &ModelListPanel::loadModelInteractively);
    load->setShortcut(QKeySequence(tr("Ctrl+L")));
    file->addAction(tr("Set &dataset…"), this, &MainWindow::chooseDataset);
    file->addSeparator();
    // Quit ends the program, not just this window: nothing (a dialog, a stray window) may keep the process alive.
    auto* quit = file->addAction(tr("&Quit"), this, [this] {
        if (close()) QCoreApplication::quit();
    });
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
    // Every panel can be closed, and brought back from here.
    auto* modelsAction = m_modelsDock->toggleViewAction();
    modelsAction->setShortcut(QKeySequence(tr("Ctrl+Shift+M")));
    view->addAction(modelsAction);
    auto* detailsAction = view->addAction(tr("Model &details"), m_modelList, &ModelListPanel::setDetailsVisible);
    detailsAction->setCheckable(true);
    detailsAction->setChecked(true);
    view->addAction(m_jobsDock->toggleViewAction());
    view->addSeparator();
    m_presentationAction = view->addAction(tr("&Presentation mode"), this, [this](bool on) { setPresentationMode(on); });
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentationAction->setToolTip(tr("Full screen with larger fonts and cells, for classrooms"));
    auto* cancelAll = view->addAction(tr("Cancel all jobs"), m_jobs, &JobController::cancelAll);
    cancelAll->setShortcut(QKeySequence(tr("Ctrl+Shift+X")));

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* methods = help->addAction(tr("&Methods and measures"), this, [this] { showMethodsHelp(this); });
    methods->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&Welcome"), this, &MainWindow::showWelcome);
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
    m_library->setView(viewState());  // the workspace being left remembers where the user was
    const QString error = m_library->openWorkspace(folder);
    if (!error.isEmpty()) {
        if (interactive) showError(error);
        return error;
    }
    afterWorkspaceOpened();
    return {};
}

QString MainWindow::openDemoWorkspace(bool interactive) {
    m_library->setView(viewState());
    const QString error = m_library->openDemoWorkspace();
    if (!error.isEmpty()) {
        if (interactive) showError(error);
        statusBar()->showMessage(error);
        return error;
    }
    afterWorkspaceOpened();
    return {};
}

void MainWindow::afterWorkspaceOpened() {
    rememberWorkspace(m_library->workspace().folder());
    m_compare->setModelsNote(m_library->isDemoWorkspace() ? demoModelsNote() : QString());
    restoreViewState(m_library->workspace().view());
}

QJsonObject MainWindow::viewState() const { return {{"tab", m_tabs->currentIndex()}, {"compare", m_compare->viewState()}}; }

void MainWindow::restoreViewState(const QJsonObject& state) {
    if (state.isEmpty()) return;
    m_compare->restoreViewState(state.value("compare").toObject());
    m_tabs->setCurrentIndex(std::clamp(state.value("tab").toInt(), 0, m_tabs->count() - 1));
}

void MainWindow::showWelcome() {
    if (auto* open = findChild<QDialog*>("welcomeDialog")) {
        open->raise();
        return;
    }
    auto* dialog = new QDialog(this);
    dialog->setObjectName("welcomeDialog");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Welcome — Saliency Workbench"));
    auto* layout = new QVBoxLayout(dialog);
    auto* text = new QLabel(welcomeHtml());
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    layout->addWidget(text);
    auto* showAtStart = new QCheckBox(tr("Show this at start"));
    showAtStart->setObjectName("welcomeShowAtStart");
    showAtStart->setChecked(QSettings().value(kWelcomeSetting, true).toBool());
    connect(showAtStart, &QCheckBox::toggled, this, [](bool on) { QSettings().setValue(kWelcomeSetting, on); });
    layout->addWidget(showAtStart);
    auto* buttons = new QDialogButtonBox;
    auto* methods = buttons->addButton(tr("Methods and measures…"), QDialogButtonBox::HelpRole);
    buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    connect(methods, &QPushButton::clicked, this, [this] { showMethodsHelp(this); });
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    layout->addWidget(buttons);
    dialog->setMaximumWidth(std::min(640, screen()->availableGeometry().width() - 40));
    dialog->open();
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
    const QString spec =
        QInputDialog::getText(this, tr("Dataset"), tr("Dataset spec (%1):").arg(QString::fromLatin1(sw::kDatasetSpecForms)),
                              QLineEdit::Normal, m_library->workspace().datasetSpec(), &ok);
    if (ok && !spec.trimmed().isEmpty()) m_library->setDatasetSpec(spec.trimmed());
}

int MainWindow::presentationFontPixels(int screenHeight) { return std::clamp((screenHeight + 30) / 60, 16, 48); }

void MainWindow::setPresentationMode(bool on) {
    m_presentationAction->setChecked(on);
    if (on == m_presentation) return;
    m_presentation = on;
    if (on) {
        m_hiddenForPresentation.clear();
        for (auto* dock : {m_modelsDock, m_jobsDock}) {
            if (!dock->isVisible()) continue;
            m_hiddenForPresentation << dock;
            dock->hide();
        }
    } else {
        for (auto* dock : std::as_const(m_hiddenForPresentation)) dock->show();
    }
    // The normal geometry is taken before the larger fonts can resize the window.
    if (on) m_normalGeometry = geometry();
    statusBar()->setVisible(!on);
    QFont font = m_normalFont;
    if (on) {
        const int readable = presentationFontPixels(screen()->geometry().height());
        font.setPixelSize(std::max(readable, QFontInfo(m_normalFont).pixelSize() * 3 / 2));
    }
    QApplication::setFont(font);
    m_compare->setPresentation(on);
    m_stability->setPresentation(on);
    // The widgets take the new font, and the layouts its sizes, now rather than at their posted events:
    // otherwise the presentation fonts' larger minimum size holds the window wider than the screen when
    // presentation mode ends (seen under X as 1438×720 on a 1280×720 screen).
    QCoreApplication::sendPostedEvents(nullptr, QEvent::ApplicationFontChange);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::FontChange);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    for (auto* layout : findChildren<QLayout*>()) layout->invalidate();
    layout()->activate();
    if (on) {
        showFullScreen();
        setGeometry(screen()->geometry());  // without a window manager (a bare X server) full screen is just a size
    } else {
        showNormal();
        if (m_normalGeometry.isValid()) setGeometry(m_normalGeometry);
        keepOnScreen();
    }
    Q_EMIT presentationModeChanged(on);
}

void MainWindow::keepOnScreen() {
    const QRect available = screen()->availableGeometry();
    QRect frame = geometry();
    frame.setWidth(std::min(frame.width(), available.width()));
    frame.setHeight(std::min(frame.height(), available.height()));
    frame.moveLeft(std::clamp(frame.left(), available.left(), available.right() - frame.width() + 1));
    frame.moveTop(std::clamp(frame.top(), available.top(), available.bottom() - frame.height() + 1));
    if (frame != geometry()) setGeometry(frame);
}

void MainWindow::showError(const QString& message) {
    m_errorLabel->setText(message.section('\n', 0, 0).left(160));
    m_errorLabel->setToolTip(message);
    // Opened, not exec()'d: the event loop (and any running job's progress) keeps going behind it. The
    // library's own words, if any, wait behind "Show Details…".
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Saliency Workbench"), message.section(sw::kErrorDetailsMarker, 0, 0),
                                QMessageBox::Ok, this);
    if (message.contains(sw::kErrorDetailsMarker)) box->setDetailedText(message.section(sw::kErrorDetailsMarker, 1));
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
    m_library->setView(viewState());
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
    m_jobs->setTrainingPrecision(choice.trainingPrecision);
    const QString description = describeComputeDevice(choice.device);
    m_deviceLabel->setText(description);
    m_deviceLabel->setToolTip(description + tr(" — change it in Edit → Preferences"));
}

void MainWindow::editPreferences() {
    ComputePreferencesDialog dialog(ComputeChoice::load(), this);
    if (dialog.exec() == QDialog::Accepted) setComputeChoice(dialog.choice());
}

}  // namespace sw::ui
