#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include "shell/MainWindow.h"
#include "timeline/TimelineFolder.h"
#include "timeline/TimelinePanel.h"
#include "train/TrainPanel.h"
#include "train/TrainingPlot.h"
#include "qcustomplot.h"

using namespace sw::ui;

/// The classroom walk-through of docs/TIMELINE.md: train a natural and an adversarial model from the Train tab with
/// recording on, watch the strip fill in, then scrub, play and export both runs in the Timeline tab.
class TestTimelinePanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_workspace;
    std::unique_ptr<MainWindow> m_window;
    TrainPanel* train() const { return m_window->trainPanel(); }
    TimelinePanel* timeline() const { return m_window->timelinePanel(); }

    void trainRecording(const QString& name, bool adversarial) {
        train()->setDataset("shapes:256:4");
        train()->setBudget(1, 40, 0);
        train()->setAdversarial(adversarial, 0.1, 3);
        train()->setModelName(name);
        train()->setRecordTimeline(true);
        QSignalSpy finished(train(), &TrainPanel::trainingFinished);
        QSignalSpy recorded(train(), &TrainPanel::timelineRecorded);
        train()->start();
        QVERIFY(finished.wait(test::kTrainingTimeoutMs));
        QCOMPARE(finished.front().at(0).toInt(), int(sw::Outcome::Completed));
        QCOMPARE(recorded.size(), 1);
        // The strip showed every snapshot as it came: the schedule's steps up to 40 (0, 1, 2, …, 40).
        QVERIFY2(train()->timelineSnapshotCount() >= 15, qPrintable(QString::number(train()->timelineSnapshotCount())));
        QVERIFY(!train()->timelineStrip().isNull());
        QCOMPARE(train()->plot()->timelinePointCount(), train()->timelineSnapshotCount());  // Gini and accuracy beside the loss
        // The caption ends with what the recording has cost the run, as the finished timeline's index says.
        const auto index = sw::TimelineFolder::ofRun(finished.front().at(1).toString().toStdString()).readIndex();
        QVERIFY(index.recordingCostSeconds() > 0.0);
        const auto caption = train()->findChild<QLabel*>("timelineCaption");
        QVERIFY(caption);
        const QString cost = QString("recording so far %1 s").arg(index.recordingCostSeconds(), 0, 'f', 1);
        QVERIFY2(caption->text().endsWith(cost), qPrintable(caption->text() + " / " + cost));
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>(MainWindow::Options{false});
        m_window->resize(1280, 720);
        m_window->show();
        QCOMPARE(m_window->openWorkspace(m_workspace.path(), false), QString());
    }
    void cleanupTestCase() { m_window.reset(); }

    void trainingWithRecordingFillsTheStripAndTheTimelineTab() {
        trainRecording("natural", false);
        trainRecording("adversarial", true);
        // SW_SCREENSHOT_DIR: keep a picture of the Train tab with its strip, to look at.
        if (const QString folder = qEnvironmentVariable("SW_SCREENSHOT_DIR"); !folder.isEmpty()) {
            m_window->findChild<QTabWidget*>()->setCurrentWidget(train());
            test::settleLayout();
            m_window->grab().save(folder + "/train-tab-timeline-strip.png");
        }
        // The strip shows the whole frame, and still does after the window narrows: it is refitted, not clipped.
        m_window->findChild<QTabWidget*>()->setCurrentWidget(train());
        const auto strip = train()->findChild<QLabel*>("timelineStrip");
        QVERIFY(strip);
        for (const int width : {1280, 1000}) {
            m_window->resize(width, 720);
            test::settleLayout();
            const QSize shown = strip->pixmap().size();
            const QString sizes = QString("%1x%2 in %3x%4").arg(shown.width()).arg(shown.height()).arg(strip->width()).arg(strip->height());
            QVERIFY2(shown.width() <= strip->width() && shown.height() <= strip->height(), qPrintable(sizes));
            QVERIFY2(shown.width() == strip->width() || shown.height() == strip->height(), qPrintable(sizes));
        }
        m_window->resize(1280, 720);
        test::settleLayout();
        QTRY_COMPARE_WITH_TIMEOUT(int(timeline()->runs().size()), 2, test::kEventTimeoutMs);
        QCOMPARE(QString::fromStdString(timeline()->runs()[0].name), QString("natural"));
        QCOMPARE(QString::fromStdString(timeline()->runs()[1].name), QString("adversarial"));
        QCOMPARE(timeline()->runs()[0].index.snapshots.size(), size_t(train()->timelineSnapshotCount()));
    }

    void theScrubberAndPlayMoveBothRunsInStep() {
        QVERIFY(timeline()->stepCount() >= 15);
        timeline()->setStepIndex(0);
        QCOMPARE(timeline()->currentStep(), qint64(0));
        const QImage untrained = timeline()->currentFrame();
        timeline()->setStepIndex(timeline()->stepCount() - 1);
        QCOMPARE(timeline()->currentStep(), qint64(40));
        QVERIFY(timeline()->currentFrame() != untrained);  // the maps changed over training
        QCOMPARE(timeline()->currentFrame().size(), untrained.size());

        timeline()->setStepIndex(0);
        timeline()->setPlaying(true);
        QVERIFY(timeline()->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(timeline()->currentStep() > 2, test::kEventTimeoutMs);
        timeline()->setPlaying(false);
        const auto paused = timeline()->currentStep();
        QTest::qWait(600);
        QCOMPARE(timeline()->currentStep(), paused);

        auto* plot = timeline()->findChild<QCustomPlot*>();
        QVERIFY(plot);
        for (const char* measure : {"gini", "accuracy"}) {
            timeline()->setMeasure(measure);
            QCOMPARE(plot->graphCount(), 2);
            QCOMPARE(plot->graph(0)->dataCount(), int(timeline()->runs()[0].index.snapshots.size()));
        }
    }

    void exportWritesTheFramesTheVideoAndTheCsv() {
        QTemporaryDir out;
        const QString folder = out.filePath("export");
        QSignalSpy status(timeline(), &TimelinePanel::statusMessage);
        timeline()->exportTo(folder);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(folder + "/timeline.mp4"), test::kEventTimeoutMs);
        QCOMPARE(QDir(folder + "/frames").entryList(QDir::Files).size(), timeline()->stepCount());
        QVERIFY(QFileInfo::exists(folder + "/measures.csv"));
        const QImage lastFrame(folder + "/frames/" + QDir(folder + "/frames").entryList(QDir::Files).constLast());
        timeline()->setStepIndex(timeline()->stepCount() - 1);
        QCOMPARE(lastFrame.size(), timeline()->currentFrame().size());  // what you see is what is exported
    }

    void aDamagedRunIsNamedInTheStatus() {
        QSignalSpy status(timeline(), &TimelinePanel::statusMessage);
        timeline()->openRuns({m_workspace.filePath("models/never-recorded.swm")});
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(status.begin(), status.end(),
                        [](const QList<QVariant>& s) { return s.at(0).toString().contains("never-recorded.timeline"); }),
            test::kEventTimeoutMs);
        QCOMPARE(int(timeline()->runs().size()), 2);  // what was shown stays
    }

    void theTabFitsA1280By720Screen() {
        m_window->findChild<QTabWidget*>()->setCurrentWidget(timeline());
        test::settleLayout();
        QVERIFY(timeline()->minimumSizeHint().width() <= 1280);
        QVERIFY(timeline()->minimumSizeHint().height() <= 600);
        QVERIFY(m_window->frameGeometry().width() <= 1280 + 16);
    }
};

QTEST_MAIN(TestTimelinePanel)
#include "TestTimelinePanel.moc"
