#include "ui/shell/TwoModelWindow.h"

#include "train/TrainPanel.h"
#include "train/TrainingPlot.h"
#include "shell/Workspace.h"
#include "jobs/JobEdge.h"

using namespace sw::ui;

/// The Train tab as a user drives it: live curves, cancel within seconds, resume from the GUI, and a finished model
/// joining the model list, the compare grid and the workspace.
class TestTrainPanel : public test::TwoModelWindow {
    Q_OBJECT
private slots:
    void initTestCase() { QCOMPARE(open(), QString()); }
    void cleanupTestCase() { close(); }

    void trainingCanBeCancelled() {
        auto* train = window()->trainPanel();
        train->setDataset("shapes:4000:5");
        train->setBudget(50, 0, 0);
        train->setAdversarial(true, 0.1, 3);
        train->setSmoothing(false);
        train->setModelName("cancelled-run");
        QSignalSpy finished(train, &TrainPanel::trainingFinished);
        train->start();
        QVERIFY(train->isTraining());
        QTRY_VERIFY_WITH_TIMEOUT(train->plot()->pointCount() > 0, test::kEventTimeoutMs);  // live curves arrive
        QElapsedTimer clock;
        clock.start();
        train->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString("cancel took %1 ms").arg(clock.elapsed())));
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Cancelled));
        QCOMPARE(modelCount(), 2);
        QVERIFY(!train->isTraining());
        // The accuracy it showed was on adversarial examples, and it says so.
        QVERIFY2(train->plot()->accuracyLabel().contains("adversarial"), qPrintable(train->plot()->accuracyLabel()));
    }

    void cancelledTrainingResumesFromTheGui() {
        auto* train = window()->trainPanel();
        QVERIFY(train->canResume());
        auto* resume = train->findChild<QPushButton*>("resumeButton");
        QVERIFY(resume && resume->isEnabled());
        for (auto* label : train->findChildren<QLabel*>()) QVERIFY2(!label->text().contains("saliency-cli"), qPrintable(label->text()));
        const int pointsBefore = train->plot()->pointCount();
        QSignalSpy finished(train, &TrainPanel::trainingFinished);
        resume->click();
        QVERIFY(train->isTraining());
        QVERIFY(!resume->isEnabled());
        // The curves continue where they stopped, not from step 0.
        QTRY_VERIFY_WITH_TIMEOUT(train->plot()->pointCount() > pointsBefore, test::kEventTimeoutMs);
        train->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Cancelled));
    }

    void fieldsWhereZeroMeansAllSaySo() {
        auto* train = window()->trainPanel();
        train->setBudget(3, 0, 0);
        int special = 0;
        for (auto* box : train->findChildren<QAbstractSpinBox*>()) {
            if (box->specialValueText().isEmpty()) continue;
            ++special;
            const bool atMinimum = qobject_cast<QSpinBox*>(box) ? qobject_cast<QSpinBox*>(box)->value() == 0
                                                                : qobject_cast<QDoubleSpinBox*>(box)->value() == 0.0;
            if (atMinimum) QCOMPARE(box->text(), box->specialValueText());
        }
        QVERIFY(special >= 4);  // max steps, train images, attack step size, Gaussian σ
    }

    void finishedTrainingJoinsTheModelList() {
        auto* train = window()->trainPanel();
        train->setDataset("shapes:256:4");
        train->setBudget(1, 20, 0);
        train->setAdversarial(true, 0.1, 3);
        train->setSmoothing(true, "gaussian", "pool1");
        train->setModelName("new-robust-smooth");
        QCOMPARE(QString::fromStdString(train->request().smoothing.at(0).after), QString("pool1"));
        QSignalSpy finished(train, &TrainPanel::trainingFinished);
        train->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Completed));
        const QString path = finished.at(0).at(1).toString();
        QCOMPARE(QFileInfo(path).dir().absolutePath(), QDir(workspaceFile("models")).absolutePath());
        QTRY_VERIFY_WITH_TIMEOUT(window()->library()->checkedModels().size() == 3, test::kEventTimeoutMs);
        const auto added = window()->library()->checkedModels().last();
        QVERIFY2(added.badge().contains("adv pgd") && added.badge().contains("+gaussian@pool1"), qPrintable(added.badge()));
        QVERIFY(added.testAccuracy().has_value() && added.robustAccuracy().has_value());
        waitForGrid();
        QCOMPARE(grid()->modelCount(), 3);
        Workspace reopened;  // the trained model was recorded in the workspace's index
        QCOMPARE(reopened.load(workspacePath()), QString());
        QCOMPARE(reopened.models().size(), 3);
    }
};

QTEST_MAIN(TestTrainPanel)
#include "TestTrainPanel.moc"
