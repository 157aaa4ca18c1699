#pragma once

#include <QWidget>

#include <vector>

#include "io/HeatmapStyle.h"
#include "jobs/TimelineRun.h"
#include "widgets/FittedImageLabel.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QTimer;

namespace sw::ui {

class JobController;
class TimelineMeasurePlot;

/// The Timeline tab (docs/TIMELINE.md): recorded training runs side by side, one row per run and one column per
/// probe image, at the step the scrubber (or Play) shows, with the chosen measure of every run over training
/// underneath and a cursor at that step. Export writes the same frames, an MP4 and the measures' CSV.
class TimelinePanel : public QWidget {
    Q_OBJECT
public:
    TimelinePanel(JobController* jobs, QWidget* parent = nullptr);

    /// Reads the runs (MODEL.timeline folders or model files) on the interactive worker and shows them.
    void openRuns(const QStringList& foldersOrModels);
    /// Adds one run to those shown (a run the Train tab just recorded).
    void addRun(const QString& folderOrModel);
    const std::vector<sw::TimelineRun>& runs() const { return m_runs; }
    /// The scrubber's position as a step of the runs; −1 when none is shown.
    qint64 currentStep() const;
    void setStepIndex(int index);
    int stepCount() const { return int(m_steps.size()); }
    void setPlaying(bool playing);
    bool isPlaying() const;
    void setMeasure(const QString& id);  ///< gini, ris, ssim or accuracy
    /// Exports what the panel shows into `folder` on the background worker (runTimelineExportJob).
    void exportTo(const QString& folder);
    /// The frame on screen, as exported.
    QImage currentFrame() const { return m_frame->image(); }

Q_SIGNALS:
    void runsChanged();
    void statusMessage(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void showRuns(std::vector<sw::TimelineRun> runs);
    void showStep();
    void redrawMeasures();
    void advance();
    void chooseRuns();
    void chooseExportFolder();
    QString currentMethod() const;

    JobController* m_jobs;
    std::vector<sw::TimelineRun> m_runs;
    std::vector<int64_t> m_steps;
    QStringList m_paths;
    sw::HeatmapStyle m_style;
    QPushButton* m_open = nullptr;
    QPushButton* m_play = nullptr;
    QPushButton* m_export = nullptr;
    QComboBox* m_method = nullptr;
    QComboBox* m_measure = nullptr;
    QSlider* m_scrubber = nullptr;
    QLabel* m_stepLabel = nullptr;
    FittedImageLabel* m_frame = nullptr;
    TimelineMeasurePlot* m_plot = nullptr;
    QTimer* m_playTimer = nullptr;
};

}  // namespace sw::ui
