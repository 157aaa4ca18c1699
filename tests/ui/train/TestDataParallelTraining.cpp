#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include <cstdio>

#include "distributed/DistributedLaunch.h"
#include "jobs/ModelInfo.h"
#include "shell/MainWindow.h"
#include "shell/ModelLibrary.h"
#include "timeline/TimelineFolder.h"
#include "train/TrainPanel.h"
#include "train/TrainingPlot.h"

using namespace sw::ui;

/// The Train tab's "N local processes": a data-parallel run of saliency-cli ranks (SW_CLI) started, shown
/// rank by rank, cancelled, resumed and finished from the GUI, and its failures reported.
class TestDataParallelTraining : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_workspace;
    std::unique_ptr<MainWindow> m_window;

    TrainPanel* train() const { return m_window->trainPanel(); }
    QStringList rankColumn(int column) const {
        QStringList cells;
        for (int row = 0; row < train()->rankTable()->rowCount(); ++row) {
            auto* item = train()->rankTable()->item(row, column);
            cells << (item ? item->text() : QString());
        }
        return cells;
    }
    QString status() const {
        QString text;
        for (auto* label : train()->findChildren<QLabel*>()) {
            if (label->text().startsWith("Finished") || label->text().startsWith("Failed") || label->text().startsWith("Cancelled"))
                text = label->text();
        }
        return text;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo(qEnvironmentVariable("SW_CLI")).isExecutable(), "SW_CLI must name saliency-cli");
        QDir().mkpath(m_workspace.filePath("models"));
        m_window = std::make_unique<MainWindow>(MainWindow::Options{false});
        m_window->resize(1280, 720);
        if (!qEnvironmentVariable("SW_SCREENSHOT_DIR").isEmpty()) m_window->resize(m_window->screen()->availableGeometry().size());
        m_window->show();
        QCOMPARE(m_window->openWorkspace(m_workspace.path(), false), QString());
        train()->setDataset("shapes:256:4");
        train()->setAdversarial(false);
        train()->setSmoothing(false);
    }
    void cleanupTestCase() { m_window.reset(); }

    void twoProcessesTrainAModelThatJoinsTheWorkspace() {
        QVERIFY(train()->rankTable()->isHidden());
        train()->setBudget(1, 20, 0);
        train()->setProcesses(2);
        train()->setModelName("two-ranks");
        QSignalSpy finished(train(), &TrainPanel::trainingFinished);
        train()->start();
        QVERIFY(!train()->rankTable()->isHidden());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        QVERIFY2(finished.at(0).at(0).toInt() == int(sw::Outcome::Completed), qPrintable(finished.at(0).at(2).toString()));
        QCOMPARE(rankColumn(0), QStringList({"0", "1"}));
        QCOMPARE(rankColumn(1), QStringList({"finished", "finished"}));
        QCOMPARE(rankColumn(2), QStringList({"20 / 20", "20 / 20"}));
        QVERIFY(train()->plot()->pointCount() > 0);  // rank 0's curves
        const QString path = finished.at(0).at(1).toString();
        QVERIFY2(status().contains("test accuracy"), qPrintable(status()));
        QVERIFY(QFileInfo::exists(path + ".request.json"));
        const auto description = QJsonDocument::fromJson(QByteArray::fromStdString(sw::describeModelFile(path.toStdString()))).object();
        QCOMPARE(description["metrics"].toObject()["train_ranks"].toInt(), 2);
        QCOMPARE(description["metrics"].toObject()["train_steps"].toInt(), 20);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->library()->models().size() == 1, test::kEventTimeoutMs);
        // SW_SCREENSHOT_DIR: the tab as it looks after the run (docs/SCALING.md shows it).
        if (const QString folder = qEnvironmentVariable("SW_SCREENSHOT_DIR"); !folder.isEmpty()) {
            m_window->tabs()->setCurrentWidget(train());
            test::settleLayout();
            const auto size = QString("%1x%2").arg(m_window->width()).arg(m_window->height());
            QVERIFY(m_window->grab().save(QDir(folder).filePath("train-data-parallel-" + size + ".png")));
        }
    }

    /// Rank 0 records the timeline in its own process; the strip and the curves follow its folder while it trains.
    void rankZerosTimelineFillsTheStripLive() {
        train()->setBudget(1, 40, 0);
        train()->setRecordTimeline(true);
        train()->setModelName("two-ranks-timeline");
        QSignalSpy finished(train(), &TrainPanel::trainingFinished);
        QSignalSpy recorded(train(), &TrainPanel::timelineRecorded);
        train()->start();
        auto* strip = train()->findChild<QLabel*>("timelineStrip");
        QVERIFY(strip && !strip->isHidden());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        train()->setRecordTimeline(false);
        QVERIFY2(finished.at(0).at(0).toInt() == int(sw::Outcome::Completed), qPrintable(finished.at(0).at(2).toString()));
        QCOMPARE(recorded.count(), 1);
        // Snapshots that land between two looks are shown as the newer one: at least the last, at most all of them.
        const auto index = sw::TimelineFolder::ofRun(finished.at(0).at(1).toString().toStdString()).readIndex();
        QVERIFY2(train()->timelineSnapshotCount() >= 1 && train()->timelineSnapshotCount() <= int(index.snapshots.size()),
                 qPrintable(QString("%1 of %2").arg(train()->timelineSnapshotCount()).arg(index.snapshots.size())));
        QCOMPARE(train()->plot()->timelinePointCount(), train()->timelineSnapshotCount());
        QVERIFY(strip->pixmap().isNull() == false);
        const auto caption = train()->findChild<QLabel*>("timelineCaption");
        QVERIFY(caption);
        QVERIFY2(caption->text().contains(QString("at step %1").arg(index.snapshots.back().step)), qPrintable(caption->text()));
    }

    void cancelStopsEveryRankAndResumeContinuesOnTheSameRanks() {
        train()->setBudget(1, 600, 0);
        train()->setAdversarial(true, 0.1, 3);
        train()->setModelName("two-ranks-cancelled");
        QSignalSpy finished(train(), &TrainPanel::trainingFinished);
        train()->start();
        QTRY_VERIFY_WITH_TIMEOUT(rankColumn(1) == QStringList({"training", "training"}), test::kEventTimeoutMs);
        train()->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Cancelled));
        QCOMPARE(rankColumn(1), QStringList({"cancelled", "cancelled"}));
        const QString path = finished.at(0).at(1).toString();
        QVERIFY(QFileInfo::exists(path + ".ckpt"));
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(train()->canResume());
        const int pointsBefore = train()->plot()->pointCount();
        train()->resume();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, test::kTrainingTimeoutMs);
        QVERIFY2(finished.at(1).at(0).toInt() == int(sw::Outcome::Completed), qPrintable(finished.at(1).at(2).toString()));
        QCOMPARE(rankColumn(2), QStringList({"600 / 600", "600 / 600"}));
        QVERIFY(train()->plot()->pointCount() > pointsBefore);
        const auto description = QJsonDocument::fromJson(QByteArray::fromStdString(sw::describeModelFile(path.toStdString()))).object();
        QCOMPARE(description["metrics"].toObject()["train_ranks"].toInt(), 2);
        QCOMPARE(description["metrics"].toObject()["train_steps"].toInt(), 600);
    }

    void failuresAreReportedWithTheRankAndTheReason() {
        train()->setAdversarial(false);
        train()->setBudget(1, 20, 0);
        train()->setDataset("fmnist:" + m_workspace.filePath("no-such-folder"));
        train()->setModelName("bad-data");
        QSignalSpy finished(train(), &TrainPanel::trainingFinished);
        train()->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Failed));
        const QString message = finished.at(0).at(2).toString();
        QVERIFY2(message.startsWith("rank ") && message.contains("no-such-folder"), qPrintable(message));
        QVERIFY(rankColumn(1).first().startsWith("failed (exited with code 1)"));

        // A batch that does not divide over the processes is refused before any starts.
        train()->setDataset("shapes:256:4");
        train()->findChild<QSpinBox*>("processes")->setValue(2);
        for (auto* box : train()->findChildren<QSpinBox*>()) {
            if (box->toolTip() == "Images per batch") box->setValue(33);
        }
        train()->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, test::kEventTimeoutMs);
        QCOMPARE(finished.at(1).at(0).toInt(), int(sw::Outcome::Failed));
        QVERIFY2(finished.at(1).at(2).toString().contains("batch size 33"), qPrintable(finished.at(1).at(2).toString()));
    }
};

int main(int argc, char** argv) {
    std::string why;
    if (!sw::dataParallelAvailable(&why)) {
        std::printf("SKIP: %s\n", why.c_str());
        return 77;
    }
    QApplication app(argc, argv);
    TestDataParallelTraining test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestDataParallelTraining.moc"
