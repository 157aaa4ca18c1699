#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

#include "jobs/JobEdge.h"

class QProgressBar;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace sw::ui {

class JobController;

/// Running, queued and finished jobs with progress, elapsed and remaining time, and a Cancel button each.
/// Failures show their message here and go to the status bar through `errorReported`.
class JobsPanel : public QWidget {
    Q_OBJECT
public:
    JobsPanel(JobController* jobs, QWidget* parent = nullptr);

    int rowCount() const;
    /// The state column of a job's row ("queued", "running", "done", "cancelled", "failed"), for tests.
    QString stateOf(int jobId) const;

Q_SIGNALS:
    void errorReported(const QString& message);
    void statusMessage(const QString& message);

private:
    struct Row {
        QTreeWidgetItem* item = nullptr;
        QProgressBar* bar = nullptr;
        QElapsedTimer clock;
        bool running = false;
        bool transient = false;
        double fraction = 0.0;
    };
    void addJob(int jobId, const QString& title, bool transient);
    void startJob(int jobId);
    void updateProgress(int jobId, double fraction, const QString& message);
    void finishJob(int jobId, sw::Outcome outcome, const QString& message, double elapsedSeconds);
    void refreshTimes();
    void pruneFinished();

    JobController* m_jobs;
    QTreeWidget* m_tree = nullptr;
    QTimer* m_clockTimer = nullptr;
    QHash<int, Row> m_rows;
    QVector<int> m_finishedOrder;
};

}  // namespace sw::ui
