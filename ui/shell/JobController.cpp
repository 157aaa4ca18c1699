#include "shell/JobController.h"

#include <QMetaObject>

namespace sw::ui {

JobController::JobController(QObject* parent) : QObject(parent) {
    m_backgroundWorker = new QObject;
    m_interactiveWorker = new QObject;
    m_backgroundWorker->moveToThread(&m_backgroundThread);
    m_interactiveWorker->moveToThread(&m_interactiveThread);
    connect(&m_backgroundThread, &QThread::finished, m_backgroundWorker, &QObject::deleteLater);
    connect(&m_interactiveThread, &QThread::finished, m_interactiveWorker, &QObject::deleteLater);
    m_backgroundThread.setObjectName("sw-background-jobs");
    m_interactiveThread.setObjectName("sw-interactive-jobs");
    m_backgroundThread.start();
    m_interactiveThread.start();
}

JobController::~JobController() {
    cancelAll();
    m_backgroundThread.quit();
    m_interactiveThread.quit();
    // Every job polls its feedback at least once per batch, so this returns within about a second.
    m_backgroundThread.wait();
    m_interactiveThread.wait();
}

int JobController::submit(const QString& title, JobBody body, JobLane lane, const QString& supersedeKey) {
    return submit(title, std::move(body), nullptr, {}, lane, supersedeKey);
}

int JobController::submit(const QString& title, JobBody body, QObject* receiver, JobFinished finished, JobLane lane,
                          const QString& supersedeKey) {
    if (!supersedeKey.isEmpty()) {
        for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
            if (it->supersedeKey == supersedeKey) it->feedback->cancel();
        }
    }
    const int jobId = m_nextId++;
    auto feedback = std::make_shared<sw::Feedback>([this, jobId](double fraction, const std::string& message) {
        // Called on the worker thread; the signal crosses to the GUI thread queued.
        Q_EMIT jobProgress(jobId, fraction, QString::fromStdString(message));
    });
    m_jobs.insert(jobId, Job{title, supersedeKey, feedback, receiver, receiver != nullptr, std::move(finished)});
    Q_EMIT jobQueued(jobId, title, lane == JobLane::Interactive);

    QObject* worker = lane == JobLane::Background ? m_backgroundWorker : m_interactiveWorker;
    QMetaObject::invokeMethod(
        worker,
        [this, jobId, feedback, body = std::move(body)]() {
            QElapsedTimer clock;
            clock.start();
            sw::JobResult result = sw::JobResult::cancelled();
            if (!feedback->isCancelled()) {
                QMetaObject::invokeMethod(
                    this, [this, jobId] { markStarted(jobId); }, Qt::QueuedConnection);
                try {
                    result = body(*feedback);
                } catch (const std::exception& error) {  // bodies should not throw; never let one kill the thread
                    result = sw::JobResult::failed(error.what());
                } catch (...) {
                    result = sw::JobResult::failed("unknown error");
                }
                if (feedback->isCancelled() && result.outcome == sw::Outcome::Completed) result = sw::JobResult::cancelled();
            }
            const double seconds = double(clock.nsecsElapsed()) * 1e-9;
            QMetaObject::invokeMethod(
                this, [this, jobId, result, seconds] { markFinished(jobId, result, seconds); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return jobId;
}

void JobController::cancel(int jobId) {
    const auto found = m_jobs.constFind(jobId);
    if (found != m_jobs.cend()) found->feedback->cancel();
}

void JobController::cancelAll() {
    for (const auto& job : std::as_const(m_jobs)) job.feedback->cancel();
}

void JobController::markStarted(int jobId) {
    if (m_jobs.contains(jobId)) Q_EMIT jobStarted(jobId);
}

void JobController::markFinished(int jobId, const sw::JobResult& result, double elapsedSeconds) {
    const Job job = m_jobs.take(jobId);
    if (job.finished && (!job.hasReceiver || job.receiver)) job.finished(result);
    Q_EMIT jobFinished(jobId, result.outcome, QString::fromStdString(result.message), elapsedSeconds);
}

void JobController::setComputeDevice(const QString& device) { m_computeDevice = device; }

}  // namespace sw::ui
