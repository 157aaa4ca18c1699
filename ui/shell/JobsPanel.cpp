#include "shell/JobsPanel.h"

#include <QHeaderView>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "shell/JobController.h"
#include "jobs/JobEdge.h"

namespace sw::ui {

namespace {

enum Column { kTitle, kState, kProgress, kElapsed, kRemaining, kMessage, kCancel, kColumnCount };
constexpr int kFinishedRowsKept = 40;

QString durationText(double seconds) {
    if (seconds < 0) return QStringLiteral("—");
    const auto whole = qint64(seconds + 0.5);
    if (whole < 60) return QString("%1 s").arg(whole);
    if (whole < 3600) return QString("%1 min %2 s").arg(whole / 60).arg(whole % 60);
    return QString("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60);
}

}  // namespace

JobsPanel::JobsPanel(JobController* jobs, QWidget* parent) : QWidget(parent), m_jobs(jobs) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_tree = new QTreeWidget;
    m_tree->setObjectName("jobsTree");
    m_tree->setColumnCount(kColumnCount);
    m_tree->setHeaderLabels({tr("Job"), tr("State"), tr("Progress"), tr("Elapsed"), tr("Remaining"), tr("Message"), QString()});
    m_tree->setRootIsDecorated(false);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(kMessage, QHeaderView::Stretch);
    m_tree->setColumnWidth(kCancel, 80);
    m_tree->setColumnWidth(kTitle, 260);
    m_tree->setColumnWidth(kProgress, 140);
    layout->addWidget(m_tree);

    connect(m_jobs, &JobController::jobQueued, this, &JobsPanel::addJob);
    connect(m_jobs, &JobController::jobStarted, this, &JobsPanel::startJob);
    connect(m_jobs, &JobController::jobProgress, this, &JobsPanel::updateProgress);
    connect(m_jobs, &JobController::jobFinished, this, &JobsPanel::finishJob);
    m_clockTimer = new QTimer(this);
    m_clockTimer->setInterval(500);
    connect(m_clockTimer, &QTimer::timeout, this, &JobsPanel::refreshTimes);
    m_clockTimer->start();
}

int JobsPanel::rowCount() const { return m_tree->topLevelItemCount(); }

QString JobsPanel::stateOf(int jobId) const {
    const auto found = m_rows.constFind(jobId);
    return found == m_rows.cend() ? QString() : found->item->text(kState);
}

void JobsPanel::addJob(int jobId, const QString& title, bool transient) {
    Row row;
    row.transient = transient;
    row.item = new QTreeWidgetItem({title, tr("queued")});
    m_tree->insertTopLevelItem(0, row.item);
    row.bar = new QProgressBar;
    row.bar->setRange(0, 1000);
    row.bar->setValue(0);
    m_tree->setItemWidget(row.item, kProgress, row.bar);
    auto* cancel = new QPushButton(tr("Cancel"));
    cancel->setToolTip(tr("Stop this job (takes effect within a second)"));
    connect(cancel, &QPushButton::clicked, this, [this, jobId] { m_jobs->cancel(jobId); });
    m_tree->setItemWidget(row.item, kCancel, cancel);
    row.clock.start();
    m_rows.insert(jobId, row);
}

void JobsPanel::startJob(int jobId) {
    auto found = m_rows.find(jobId);
    if (found == m_rows.end()) return;
    found->running = true;
    found->clock.restart();
    found->item->setText(kState, tr("running"));
}

void JobsPanel::updateProgress(int jobId, double fraction, const QString& message) {
    auto found = m_rows.find(jobId);
    if (found == m_rows.end()) return;
    found->fraction = fraction;
    found->bar->setValue(int(1000 * fraction));
    if (!message.isEmpty()) found->item->setText(kMessage, message.section('\n', 0, 0));
}

void JobsPanel::finishJob(int jobId, sw::Outcome result, const QString& message, double elapsedSeconds) {
    auto found = m_rows.find(jobId);
    if (found == m_rows.end()) return;
    found->running = false;
    const QString state = result == sw::Outcome::Completed ? tr("done") : result == sw::Outcome::Cancelled ? tr("cancelled") : tr("failed");
    found->item->setText(kState, state);
    found->item->setText(kElapsed, durationText(elapsedSeconds));
    found->item->setText(kRemaining, QString());
    // One line per job: the first line of the message; the whole of it in the tooltip.
    found->item->setText(kMessage, message.section('\n', 0, 0));
    found->item->setToolTip(kMessage, message);
    if (result == sw::Outcome::Completed) found->bar->setValue(1000);
    if (result == sw::Outcome::Failed) {
        found->item->setForeground(kState, QColor(200, 30, 30));
        Q_EMIT errorReported(tr("%1 failed: %2").arg(found->item->text(kTitle), message));
    } else {
        Q_EMIT statusMessage(tr("%1: %2").arg(found->item->text(kTitle), state));
    }
    if (found->transient && result != sw::Outcome::Failed) {
        // Interactive jobs (one per image or noise step) would bury the long ones; only their failures stay.
        delete found->item;
        m_rows.erase(found);
        return;
    }
    if (auto* cancel = m_tree->itemWidget(found->item, kCancel)) cancel->setEnabled(false);
    m_finishedOrder.push_back(jobId);
    pruneFinished();
}

void JobsPanel::refreshTimes() {
    for (auto& row : m_rows) {
        if (!row.running) continue;
        const double elapsed = double(row.clock.elapsed()) / 1000.0;
        row.item->setText(kElapsed, durationText(elapsed));
        // Remaining time extrapolates the rate so far; unknown until a little progress is made.
        row.item->setText(kRemaining, row.fraction > 0.01 ? durationText(elapsed * (1.0 - row.fraction) / row.fraction) : QString("—"));
    }
}

void JobsPanel::pruneFinished() {
    while (m_finishedOrder.size() > kFinishedRowsKept) {
        const int oldest = m_finishedOrder.takeFirst();
        const auto found = m_rows.find(oldest);
        if (found == m_rows.end()) continue;
        delete found->item;
        m_rows.erase(found);
    }
}

}  // namespace sw::ui
