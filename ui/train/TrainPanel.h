#pragma once

#include <QImage>
#include <QWidget>

#include <vector>

#include "distributed/LocalRanks.h"
#include "jobs/TrainJob.h"
#include "widgets/FittedImageLabel.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QScrollArea;
class QVBoxLayout;

namespace sw::ui {

class JobController;
class ModelLibrary;
class TrainingPlot;

/// Trains a model on the background worker: data, architecture, budget, optimiser and seed, with switches
/// for adversarial training and the smoothing block. Live curves; the finished model joins the workspace.
/// A run goes to this process, or to N data-parallel processes on this machine (saliency-cli ranks over
/// c10d, docs/SCALING.md), whose states the rank table shows.
class TrainPanel : public QWidget {
    Q_OBJECT
public:
    TrainPanel(ModelLibrary* library, JobController* jobs, QWidget* parent = nullptr);

    /// The request the form describes (for tests and for "copy as command line").
    sw::TrainRequest request() const;
    /// The form's controls, for tests and scripted demos.
    void setAdversarial(bool enabled, double epsilon = 0.1, int steps = 10);
    void setSmoothing(bool enabled, const QString& kind = "gaussian", const QString& after = "pool1");
    void setBudget(int epochs, int maxSteps, int trainLimit);
    void setDataset(const QString& spec);
    void setModelName(const QString& name);
    /// 1 = train in this process; N > 1 = a data-parallel run of N local processes.
    void setProcesses(int processes);
    QTableWidget* rankTable() const { return m_ranks; }

    void start();
    void cancel();
    /// Continues the last cancelled run from its checkpoint, with the recipe it was started with.
    void resume();
    bool canResume() const;
    bool isTraining() const { return m_jobId >= 0; }
    TrainingPlot* plot() const { return m_plot; }
    /// Record the saliency timeline of the next run (docs/TIMELINE.md).
    void setRecordTimeline(bool record);
    /// The newest snapshot of the running (or last) run's timeline, as the strip shows it; null before one.
    QImage timelineStrip() const { return m_strip->image(); }
    int timelineSnapshotCount() const { return m_stripSnapshots; }

Q_SIGNALS:
    void trainingFinished(int outcome, const QString& modelPath, const QString& message);
    void statusMessage(const QString& message);
    /// A finished or cancelled run recorded a timeline beside this model file.
    void timelineRecorded(const QString& modelPath);

protected:
    void changeEvent(QEvent* event) override;

private:
    QGroupBox* buildDataAndBudget();
    QGroupBox* buildAdversarialSwitch();
    QGroupBox* buildSmoothingSwitch();
    QLayout* buildRunControls(QVBoxLayout* form);  ///< adds the run rows to `form`; returns the buttons' row
    void fitFormWidth();
    void connectControls();
    void updateStagesForArchitecture();
    void suggestName();
    QString outputPath() const;
    void onProgress(double step, double totalSteps, double loss, double accuracy, double examplesPerSecond);
    void onRanks(const std::vector<sw::RankState>& ranks);
    void onSnapshot(const sw::TimelineUpdate& update);
    void onFinished(int jobId, sw::Outcome outcome, const QString& message);
    void submit(const sw::TrainRequest& request, int processes);

    ModelLibrary* m_library;
    JobController* m_jobs;
    QComboBox* m_dataset = nullptr;
    QComboBox* m_arch = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_maxSteps = nullptr;
    QSpinBox* m_trainLimit = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QComboBox* m_optimizer = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QSpinBox* m_seed = nullptr;
    QGroupBox* m_adversarial = nullptr;
    QComboBox* m_attack = nullptr;
    QDoubleSpinBox* m_epsilon = nullptr;
    QSpinBox* m_attackSteps = nullptr;
    QDoubleSpinBox* m_stepSize = nullptr;
    QDoubleSpinBox* m_adversarialFraction = nullptr;
    QGroupBox* m_smoothing = nullptr;
    QComboBox* m_smoothKind = nullptr;
    QSpinBox* m_kernelSize = nullptr;
    QDoubleSpinBox* m_sigma = nullptr;
    QComboBox* m_insertAfter = nullptr;
    QLineEdit* m_name = nullptr;
    QSpinBox* m_processes = nullptr;
    QScrollArea* m_formScroll = nullptr;
    QTableWidget* m_ranks = nullptr;
    QPushButton* m_startButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_resumeButton = nullptr;
    QLabel* m_status = nullptr;
    TrainingPlot* m_plot = nullptr;
    QCheckBox* m_recordTimeline = nullptr;
    FittedImageLabel* m_strip = nullptr;  ///< the newest timeline snapshot, live
    QLabel* m_stripCaption = nullptr;     ///< its step, held-out accuracy and Gini
    int m_stripSnapshots = 0;
    int m_jobId = -1;
    sw::TrainRequest m_runningRequest;
    int m_runningProcesses = 1;
    int m_cancelledProcesses = 1;
    sw::TrainRequest m_cancelledRequest;  ///< what Resume continues (empty output path: nothing to resume)
    QString m_runningOutput;
    QString m_runningWorkspace;
    bool m_nameEdited = false;
};

}  // namespace sw::ui
