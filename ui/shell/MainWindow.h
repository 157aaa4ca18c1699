#pragma once

#include <QJsonObject>
#include <QList>
#include <QMainWindow>

#include "shell/ComputePreferences.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;

namespace sw::ui {

class ComparePanel;
class JobController;
class JobsPanel;
class ModelLibrary;
class ModelListPanel;
class StabilityPanel;
class StudyPanel;
class TimelinePanel;
class TrainPanel;

/// Assembles the panels, menus, shortcuts and settings; owns the job controller and the model library.
/// It holds no science itself: each panel is its own class.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool restoreSession = true;  ///< reopen the last workspace (or the demo one on first start) and the layout
    };
    explicit MainWindow(Options options);
    MainWindow() : MainWindow(Options{}) {}
    ~MainWindow() override;

    ModelLibrary* library() const { return m_library; }
    JobController* jobs() const { return m_jobs; }
    ComparePanel* comparePanel() const { return m_compare; }
    StabilityPanel* stabilityPanel() const { return m_stability; }
    TrainPanel* trainPanel() const { return m_train; }
    StudyPanel* studyPanel() const { return m_study; }
    TimelinePanel* timelinePanel() const { return m_timeline; }
    JobsPanel* jobsPanel() const { return m_jobsPanel; }
    ModelListPanel* modelListPanel() const { return m_modelList; }
    QTabWidget* tabs() const { return m_tabs; }

    /// Opens a workspace folder and remembers it among the recent ones; shows a dialog on failure
    /// when `interactive`. Returns the error message or empty.
    QString openWorkspace(const QString& folder, bool interactive = true);
    QString openDemoWorkspace(bool interactive = true);
    /// Opens a `saliency-cli reproduce` folder: its models as the workspace, its evaluations and curves in
    /// the stability lab.
    QString openReport(const QString& folder, bool interactive = true);
    /// F11: full screen, everything larger, the side panels hidden (and brought back on leaving).
    void setPresentationMode(bool on);
    /// The font size presentation mode uses on a screen this many pixels high: readable from the back row
    /// (18 px at 1080p), never below 16 px.
    static int presentationFontPixels(int screenHeight);
    /// The view saved with the workspace (open tab and the compare panel's state), and back.
    QJsonObject viewState() const;
    void restoreViewState(const QJsonObject& state);
    /// The first-start welcome (also Help → Welcome).
    void showWelcome();
    /// Applies and remembers where jobs compute (Edit → Preferences does this after its dialog).
    void setComputeChoice(const ComputeChoice& choice);
    bool isPresentationMode() const { return m_presentation; }

Q_SIGNALS:
    /// Presentation mode was switched on or off (its fonts and layout are in place).
    void presentationModeChanged(bool on);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    /// Shrinks and moves the window into the screen's available area, if it is not inside already.
    void keepOnScreen();

    void buildMenus();
    void rememberWorkspace(const QString& folder);
    void refreshRecentMenu();
    void chooseWorkspace();
    void chooseDataset();
    void showError(const QString& message);
    void editPreferences();
    void updateTitle();
    void afterWorkspaceOpened();

    JobController* m_jobs = nullptr;
    ModelLibrary* m_library = nullptr;
    QTabWidget* m_tabs = nullptr;
    ComparePanel* m_compare = nullptr;
    StabilityPanel* m_stability = nullptr;
    TrainPanel* m_train = nullptr;
    StudyPanel* m_study = nullptr;
    TimelinePanel* m_timeline = nullptr;
    JobsPanel* m_jobsPanel = nullptr;
    ModelListPanel* m_modelList = nullptr;
    QDockWidget* m_modelsDock = nullptr;
    QDockWidget* m_jobsDock = nullptr;
    QList<QDockWidget*> m_hiddenForPresentation;
    QRect m_normalGeometry;  ///< where the window was before presentation mode
    QMenu* m_recentMenu = nullptr;
    QAction* m_presentationAction = nullptr;
    QLabel* m_errorLabel = nullptr;
    QLabel* m_deviceLabel = nullptr;
    bool m_presentation = false;
    QFont m_normalFont;
};

}  // namespace sw::ui
