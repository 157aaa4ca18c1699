#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

#include "jobs/JobEdge.h"
#include "util/Precision.h"

namespace sw::ui {

/// Where a job runs. Long jobs (training, curves, evaluation) queue on the background lane; short ones that
/// answer a user's gesture (the compare grid, the image browser) run on the interactive lane, so a
/// training run never delays them.
enum class JobLane { Background, Interactive };

/// A job's code: runs on a worker thread, polls the feedback for cancel and reports progress through it.
/// It must only touch values it owns (captured by copy); results reach widgets only through
/// JobController::deliver (while it runs) and the finished callback (when it is done).
using JobBody = std::function<sw::JobResult(sw::Feedback&)>;

/// Run on the GUI thread when a job is done (as QgsTask::finished), only if its receiver still exists.
using JobFinished = std::function<void(const sw::JobResult&)>;

/// Owns the worker threads and their queues, so no job outlives the window that asked for it (the destructor
/// cancels and waits). Signals are delivered on the GUI thread.
class JobController : public QObject {
    Q_OBJECT
public:
    explicit JobController(QObject* parent = nullptr);
    ~JobController() override;  ///< cancels everything and waits for the running jobs to return

    /// Queues a job and returns its id. A non-empty `supersedeKey` cancels every earlier job with the same
    /// key (queued or running): the noise slider's newest request wins.
    int submit(const QString& title, JobBody body, JobLane lane = JobLane::Background, const QString& supersedeKey = {});

    /// The same, and when the job is done `finished` runs on the GUI thread with its result — unless
    /// `receiver` (a widget that shows the result) was destroyed meanwhile.
    int submit(const QString& title, JobBody body, QObject* receiver, JobFinished finished, JobLane lane = JobLane::Background,
               const QString& supersedeKey = {});

    /// The one way a running job hands something to a widget: `update(receiver)` runs on the GUI thread,
    /// unless the receiver is gone by then. Call it from the job body with a QPointer made on the GUI
    /// thread (at submit time), e.g. to stream cells or curve points as they are computed.
    template <typename Receiver, typename Update>
    static void deliver(const QPointer<Receiver>& receiver, Update update) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [receiver, update = std::move(update)]() mutable {
                if (receiver) update(*receiver);
            },
            Qt::QueuedConnection);
    }

    /// Cancels a queued or running job; a running one stops at its next feedback check (within a batch).
    void cancel(int jobId);
    void cancelAll();
    int runningOrQueuedCount() const { return m_jobs.size(); }

    /// The device the jobs submitted from this window compute on: "auto", "cpu" or "cuda:N" (Preferences
    /// set it). Panels copy it into every request; a change applies to the next job.
    void setComputeDevice(const QString& device);
    QString computeDevice() const { return m_computeDevice; }
    /// The precision of training runs started from this window (Preferences); explanations are always fp32.
    void setTrainingPrecision(sw::Precision precision) { m_trainingPrecision = precision; }
    sw::Precision trainingPrecision() const { return m_trainingPrecision; }
    bool isActive(int jobId) const { return m_jobs.contains(jobId); }

Q_SIGNALS:
    /// `transient`: an interactive job, superseded often; panels may drop it once it is done.
    void jobQueued(int jobId, const QString& title, bool transient);
    void jobStarted(int jobId);
    /// fraction in [0, 1]; at most a few hundred per job thanks to Feedback's change filter.
    void jobProgress(int jobId, double fraction, const QString& message);
    /// message says why it failed or summarises the result.
    void jobFinished(int jobId, sw::Outcome outcome, const QString& message, double elapsedSeconds);

private:
    struct Job {
        QString title;
        QString supersedeKey;
        std::shared_ptr<sw::Feedback> feedback;
        QPointer<QObject> receiver;  ///< set with a finished callback; the callback is skipped once it is gone
        bool hasReceiver = false;
        JobFinished finished;
    };
    void markStarted(int jobId);
    void markFinished(int jobId, const sw::JobResult& result, double elapsedSeconds);

    QThread m_backgroundThread;
    QThread m_interactiveThread;
    QObject* m_backgroundWorker = nullptr;  ///< lives on m_backgroundThread; jobs are queued calls to it
    QObject* m_interactiveWorker = nullptr;
    QHash<int, Job> m_jobs;  ///< queued or running, GUI thread only
    int m_nextId = 1;
    QString m_computeDevice = "auto";
    sw::Precision m_trainingPrecision = sw::Precision::Float32;
};

}  // namespace sw::ui
