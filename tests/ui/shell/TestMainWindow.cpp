#include "ui/shell/TwoModelWindow.h"

#include "shell/ComputePreferences.h"
#include "shell/JobController.h"
#include "shell/JobsPanel.h"
#include "shell/ModelListPanel.h"
#include "shell/Workspace.h"
#include "compare/OverlayStyleBar.h"
#include "train/TrainPanel.h"
#include "jobs/JobEdge.h"

using namespace sw::ui;

/// The window as a whole: the model list, a bad model file, the status bar, presentation mode, the compute device
/// and the remembered workspace. The panels have their own tests (compare/, train/, stability/).
class TestMainWindow : public test::TwoModelWindow {
    Q_OBJECT
private slots:
    void initTestCase() { QCOMPARE(open(), QString()); }
    void cleanupTestCase() { close(); }

    void listsModelsWithBadges() {
        QTRY_VERIFY_WITH_TIMEOUT(!window()->library()->isReading() && window()->library()->checkedModels().size() == 2,
                                 test::kEventTimeoutMs);
        const auto models = window()->library()->checkedModels();
        QCOMPARE(models[0].badge(), QString("natural"));
        QVERIFY2(models[1].badge().contains("fgsm-rs") && models[1].badge().contains("+gaussian@pool1"), qPrintable(models[1].badge()));
        QVERIFY(models[0].testAccuracy().has_value());
        auto* list = window()->findChild<QListWidget*>("modelList");
        QVERIFY(list);
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(1)->text().contains("+gaussian@pool1"));
    }

    void badModelFileGetsADialogNotACrash() {
        const QString path = workspaceFile("models/garbage.swm");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a model");
        file.close();
        QSignalSpy rejected(window()->library(), &ModelLibrary::modelRejected);
        window()->modelListPanel()->loadModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, test::kEventTimeoutMs);
        QVERIFY(rejected.at(0).at(1).toString().contains("garbage.swm"));
        auto* dialog = window()->findChild<QMessageBox*>("errorDialog");
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(dialog->text().contains("garbage.swm"));
        dialog->close();
        QCOMPARE(modelCount(), 2);
    }

    void aLaterSuccessClearsTheStatusBarError() {
        auto* error = window()->findChild<QLabel*>("errorLabel");
        QVERIFY(error && error->text().contains("garbage.swm"));  // left by the bad model file above
        compare()->showDatasetSample(2);
        waitForGrid();
        QTRY_VERIFY_WITH_TIMEOUT(error->text().isEmpty(), test::kEventTimeoutMs);
    }

    void presentationModeEnlargesFontsAndHidesThePanels() {
        const QFont normal = QApplication::font();
        const int normalPixels = QFontInfo(normal).pixelSize();
        auto* modelsDock = window()->findChild<QDockWidget*>("modelsDock");
        QVERIFY(modelsDock->isVisible());
        window()->setPresentationMode(true);
        QVERIFY(QFontInfo(QApplication::font()).pixelSize() >= std::max(16, normalPixels * 3 / 2));
        QVERIFY(!modelsDock->isVisible());
        QVERIFY(!compare()->styleBar()->isVisible());
        window()->setPresentationMode(false);
        QCOMPARE(QApplication::font(), normal);
        QVERIFY(modelsDock->isVisible());
        QVERIFY(compare()->styleBar()->isVisible());
    }

    void computeDeviceIsChosenShownAndRemembered() {
        auto* label = window()->findChild<QLabel*>("computeDeviceLabel");
        QVERIFY(label != nullptr);
        window()->setComputeChoice(ComputeChoice{"cpu", false});
        QCOMPARE(window()->jobs()->computeDevice(), QString("cpu"));
        QVERIFY2(label->text().contains("cpu ("), qPrintable(label->text()));
        QCOMPARE(ComputeChoice::load().device, QString("cpu"));
        QCOMPARE(QString::fromStdString(window()->trainPanel()->request().device), QString("cpu"));
        QCOMPARE(int(window()->trainPanel()->request().precision), int(sw::Precision::Float32));
        // Preferences' training precision reaches the training request, and is remembered.
        window()->setComputeChoice(ComputeChoice{"cpu", false, sw::Precision::TF32});
        QCOMPARE(int(window()->trainPanel()->request().precision), int(sw::Precision::TF32));
        QCOMPARE(int(ComputeChoice::load().trainingPrecision), int(sw::Precision::TF32));
        {
            ComputePreferencesDialog preferences(ComputeChoice::load());
            QCOMPARE(int(preferences.choice().trainingPrecision), int(sw::Precision::TF32));
        }
        window()->setComputeChoice(ComputeChoice{"cpu", false});
        ComputePreferencesDialog dialog(ComputeChoice::load());
        auto* devices = dialog.findChild<QComboBox*>("deviceChoice");
        QVERIFY(devices->findData("auto") >= 0 && devices->findData("cpu") >= 0);
        QCOMPARE(dialog.choice().device, QString("cpu"));
        QVERIFY(dialog.findChild<QLabel*>("systemDescription")->text().contains("LibTorch"));
        // A GPU that is not there: every job fails with a message naming the option, none crashes.
        if (devices->findData("cuda:0") < 0) {
            window()->setComputeChoice(ComputeChoice{"cuda:0", false});
            QVERIFY2(label->text().contains("no GPU"), qPrintable(label->text()));
            auto* train = window()->trainPanel();
            train->setModelName("needs-a-gpu");
            QSignalSpy finished(train, &TrainPanel::trainingFinished);
            train->start();
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
            QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Failed));
            QVERIFY(modelCount() == 2);
        }
        window()->setComputeChoice(ComputeChoice{"auto", false});
    }

    void rememberedAmongRecentWorkspaces() {
        QSettings settings;
        QCOMPARE(settings.value("workspaces/last").toString(), QDir(workspacePath()).absolutePath());
        QVERIFY(settings.value("workspaces/recent").toStringList().contains(QDir(workspacePath()).absolutePath()));
        Workspace reopened;
        QCOMPARE(reopened.load(workspacePath()), QString());
        QCOMPARE(reopened.models().size(), 2);
        QCOMPARE(reopened.datasetSpec(), QString(test::TwoModelWindow::kDataset));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
