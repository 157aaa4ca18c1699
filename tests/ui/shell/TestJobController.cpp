#include <QtTest/QtTest>
#include "ui/UiTestSupport.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "shell/JobController.h"

using namespace sw;
using namespace sw::ui;

namespace {

/// A job that polls its feedback every 10 ms for up to `seconds`, like a core job does per batch.
JobBody pollingJob(double seconds, std::atomic<bool>* started = nullptr) {
    return [seconds, started](Feedback& feedback) {
        if (started) started->store(true);
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            if (feedback.isCancelled()) return JobResult::cancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            feedback.setProgress(0.5, "working");
        }
        return JobResult::completed("done");
    };
}

int outcomeOf(const QSignalSpy& finished, int jobId) {
    for (const auto& arguments : finished) {
        if (arguments.at(0).toInt() == jobId) return int(arguments.at(1).value<sw::Outcome>());
    }
    return -1;
}

}  // namespace

class TestJobController : public QObject {
    Q_OBJECT
private slots:
    void runsJobsInOrderOffTheGuiThread() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        QVector<int> order;
        std::atomic<bool> onGuiThread{false};
        const auto guiThread = QThread::currentThread();
        for (int i = 0; i < 3; ++i) {
            jobs.submit(QString("job %1").arg(i), [i, &order, &onGuiThread, guiThread](Feedback&) {
                if (QThread::currentThread() == guiThread) onGuiThread = true;
                order.push_back(i);  // one worker per lane: no two jobs of a lane run at once
                return JobResult::completed();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, test::kEventTimeoutMs);
        QCOMPARE(order, (QVector<int>{0, 1, 2}));
        QVERIFY(!onGuiThread);
        QCOMPARE(jobs.runningOrQueuedCount(), 0);
    }

    void resultsReachALiveReceiverOnTheGuiThreadOnly() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        const auto guiThread = QThread::currentThread();
        auto* alive = new QObject;
        auto* doomed = new QObject;
        QPointer<QObject> aliveGuard(alive), doomedGuard(doomed);
        std::atomic<int> delivered{0}, finishedCalls{0};
        bool everyCallOnGuiThread = true;
        std::atomic<bool> release{false};
        for (QObject* receiver : {alive, doomed}) {
            QPointer<QObject> guard(receiver);
            jobs.submit(
                "deliver",
                [guard, &delivered, &everyCallOnGuiThread, guiThread, &release](Feedback&) {
                    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    JobController::deliver(guard, [&, guiThread](QObject&) {
                        everyCallOnGuiThread &= QThread::currentThread() == guiThread;
                        ++delivered;
                    });
                    return JobResult::completed("fine");
                },
                receiver,
                [&, guiThread](const JobResult& result) {
                    everyCallOnGuiThread &= QThread::currentThread() == guiThread;
                    QCOMPARE(result.message, std::string("fine"));
                    ++finishedCalls;
                });
        }
        delete doomed;  // gone before its job ends: neither its delivery nor its callback may run
        release = true;
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, test::kEventTimeoutMs);
        QCoreApplication::processEvents();
        QCOMPARE(delivered.load(), 1);
        QCOMPARE(finishedCalls.load(), 1);
        QVERIFY(everyCallOnGuiThread);
        QVERIFY(aliveGuard && !doomedGuard);
        QCOMPARE(finished.at(0).at(1).value<sw::Outcome>(), sw::Outcome::Completed);
        delete alive;
    }

    void interactiveLaneIsNotBlockedByALongJob() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        const int longJob = jobs.submit("long", pollingJob(30.0));
        const int quick = jobs.submit(
            "quick", [](Feedback&) { return JobResult::completed(); }, JobLane::Interactive);
        QTRY_VERIFY_WITH_TIMEOUT(outcomeOf(finished, quick) == int(Outcome::Completed), test::kEventTimeoutMs);
        QVERIFY(jobs.isActive(longJob));
        jobs.cancel(longJob);
        QTRY_VERIFY_WITH_TIMEOUT(outcomeOf(finished, longJob) == int(Outcome::Cancelled), test::kEventTimeoutMs);
    }

    void cancelStopsARunningJobQuickly() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        QSignalSpy progress(&jobs, &JobController::jobProgress);
        std::atomic<bool> started{false};
        const int jobId = jobs.submit("long", pollingJob(60.0, &started));
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), test::kEventTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0, test::kEventTimeoutMs);
        QElapsedTimer clock;
        clock.start();
        jobs.cancel(jobId);
        QTRY_VERIFY_WITH_TIMEOUT(outcomeOf(finished, jobId) == int(Outcome::Cancelled), test::kEventTimeoutMs);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString("cancel took %1 ms").arg(clock.elapsed())));
    }

    void cancelledQueuedJobNeverRuns() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        std::atomic<bool> secondRan{false};
        const int first = jobs.submit("first", pollingJob(0.3));
        const int second = jobs.submit("second", [&](Feedback&) {
            secondRan = true;
            return JobResult::completed();
        });
        jobs.cancel(second);
        QTRY_VERIFY_WITH_TIMEOUT(outcomeOf(finished, second) == int(Outcome::Cancelled), test::kEventTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(outcomeOf(finished, first) == int(Outcome::Completed), test::kEventTimeoutMs);
        QVERIFY(!secondRan);
    }

    void newerRequestSupersedesOlderOnes() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        const int older = jobs.submit("older", pollingJob(30.0), JobLane::Interactive, "compare");
        const int unrelated = jobs.submit("unrelated", pollingJob(0.2), JobLane::Interactive, "overview");
        const int newer = jobs.submit("newer", pollingJob(0.1), JobLane::Interactive, "compare");
        QTRY_VERIFY_WITH_TIMEOUT(outcomeOf(finished, newer) == int(Outcome::Completed), test::kEventTimeoutMs);
        QCOMPARE(outcomeOf(finished, older), int(Outcome::Cancelled));
        QCOMPARE(outcomeOf(finished, unrelated), int(Outcome::Completed));
    }

    void failuresAndExceptionsBecomeMessages() {
        JobController jobs;
        QSignalSpy finished(&jobs, &JobController::jobFinished);
        const int failing = jobs.submit("failing", [](Feedback&) { return JobResult::failed("data.idx: truncated"); });
        const int throwing = jobs.submit("throwing", [](Feedback&) -> JobResult { throw std::runtime_error("model.swm: corrupt"); });
        const int after = jobs.submit("after", [](Feedback&) { return JobResult::completed(); });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, test::kEventTimeoutMs);
        for (const auto& arguments : finished) {
            const int jobId = arguments.at(0).toInt();
            const QString message = arguments.at(2).toString();
            if (jobId == failing) QCOMPARE(message, QString("data.idx: truncated"));
            if (jobId == throwing) QCOMPARE(message, QString("model.swm: corrupt"));
        }
        QCOMPARE(outcomeOf(finished, failing), int(Outcome::Failed));
        QCOMPARE(outcomeOf(finished, throwing), int(Outcome::Failed));
        QCOMPARE(outcomeOf(finished, after), int(Outcome::Completed));  // the worker survived the exception
    }

    void destructorCancelsAndWaits() {
        std::atomic<bool> started{false};
        QElapsedTimer clock;
        {
            JobController jobs;
            jobs.submit("long", pollingJob(60.0, &started));
            QTRY_VERIFY_WITH_TIMEOUT(started.load(), test::kEventTimeoutMs);
            clock.start();
        }
        QVERIFY(clock.elapsed() < 2000);
    }
};

QTEST_GUILESS_MAIN(TestJobController)
#include "TestJobController.moc"
