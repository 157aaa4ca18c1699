#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include "shell/JobController.h"
#include "shell/ModelLibrary.h"
#include "shell/ModelListPanel.h"
#include "shell/TorchScriptShapeDialog.h"

using namespace sw::ui;

/// Loading models into a workspace: TorchScript with and without a sidecar, and files that must be refused
/// with a message naming them. Fixtures come from tests/fixtures/make_torchscript_fixtures.py.
class TestModelLibrary : public QObject {
    Q_OBJECT
private:
    QString fixture(const QString& name) const { return QStringLiteral(SW_TEST_FIXTURES_DIR) + "/torchscript/" + name; }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aFileThatIsNoTorchScriptIsRefusedBeforeAnyDialog() {
        QVERIFY(ModelListPanel::torchScriptProblem(fixture("traced_no_sidecar.pt")).isEmpty());
        QTemporaryDir folder;
        const QString notAModel = folder.filePath("photo.pt");
        QFile file(notAModel);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x89PNG\r\n\x1a\n not a model at all");
        file.close();
        const QString problem = ModelListPanel::torchScriptProblem(notAModel);
        QVERIFY2(problem.startsWith("photo.pt: not a model file, or damaged"), qPrintable(problem));
        QCOMPARE(problem.count("photo.pt"), 1);  // the file is named once
        QVERIFY(ModelListPanel::torchScriptProblem(folder.filePath("missing.pt")).contains("cannot be read"));
    }

    void torchScriptWithSidecarOrGivenShapeLoads() {
        QTemporaryDir folder;
        JobController jobs;
        ModelLibrary library(&jobs);
        QCOMPARE(library.openWorkspace(folder.path()), QString());
        QSignalSpy read(&library, &ModelLibrary::allModelsRead);
        library.addModelFile(fixture("lenet.pt"));
        library.addModelFile(fixture("traced_no_sidecar.pt"), {1, 28, 28}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
        QTRY_VERIFY_WITH_TIMEOUT(!library.isReading() && read.count() > 0, test::kEventTimeoutMs);
        const auto models = library.checkedModels();
        QCOMPARE(models.size(), 2);
        for (const auto& model : models) {
            QCOMPARE(model.description.value("arch").toString(), QString("torchscript"));
            QCOMPARE(model.description.value("input_shape").toArray().size(), 3);
        }
        QCOMPARE(models[1].description.value("classes").toArray().at(9).toString(), QString("j"));

        // The shape and classes given by hand are kept in the workspace index.
        Workspace reopened;
        QCOMPARE(reopened.load(folder.path()), QString());
        QCOMPARE(reopened.models().size(), 2);
        QCOMPARE(reopened.models()[1].inputShape, (QVector<qint64>{1, 28, 28}));
        QCOMPARE(reopened.models()[1].classNames.size(), 10);
    }

    void aWorkspaceThatCannotBeSavedSaysSoOnce() {
        QTemporaryDir folder;
        JobController jobs;
        ModelLibrary library(&jobs);
        QCOMPARE(library.openWorkspace(folder.path()), QString());
        // A folder where the index should be: every save fails (as on a read-only share, even for root).
        QFile::remove(QDir(folder.path()).filePath("workspace.json"));
        QVERIFY(QDir(folder.path()).mkdir("workspace.json"));
        QSignalSpy notSaved(&library, &ModelLibrary::workspaceNotSaved);
        QSignalSpy read(&library, &ModelLibrary::allModelsRead);
        library.addModelFile(fixture("lenet.pt"));
        QTRY_VERIFY_WITH_TIMEOUT(!library.isReading() && read.count() > 0, test::kEventTimeoutMs);
        library.addModelFile(fixture("traced_no_sidecar.pt"), {1, 28, 28}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
        QTRY_VERIFY_WITH_TIMEOUT(!library.isReading() && read.count() > 1, test::kEventTimeoutMs);
        QCOMPARE(notSaved.count(), 1);  // said once, not on every change
        QVERIFY2(notSaved.at(0).at(0).toString().contains("workspace.json"), qPrintable(notSaved.at(0).at(0).toString()));
        QCOMPARE(library.checkedModels().size(), 2);  // it still works for this session
    }

    void unreadableFilesAreRefusedWithTheirName() {
        QTemporaryDir folder;
        JobController jobs;
        ModelLibrary library(&jobs);
        QCOMPARE(library.openWorkspace(folder.path()), QString());
        QSignalSpy rejected(&library, &ModelLibrary::modelRejected);
        library.addModelFile(fixture("traced_no_sidecar.pt"));  // no sidecar, no shape given
        library.addModelFile(fixture("returns_tuple.pt"));
        library.addModelFile(folder.filePath("missing.swm"));
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 3, test::kEventTimeoutMs);
        QStringList messages;
        for (const auto& arguments : rejected) messages << arguments.at(1).toString();
        QVERIFY2(messages.filter("traced_no_sidecar.pt").size() == 1, qPrintable(messages.join('\n')));
        QVERIFY2(messages.filter("returns_tuple.pt").size() == 1, qPrintable(messages.join('\n')));
        QVERIFY2(messages.filter("missing.swm").size() == 1, qPrintable(messages.join('\n')));
        QVERIFY(library.models().isEmpty());
        QVERIFY(library.checkedModels().isEmpty());
    }

    void listedModelThatCannotBeReadStaysListed() {
        QTemporaryDir folder;
        Workspace listing(folder.path());
        listing.addModel(ModelEntry{folder.filePath("models/gone.swm"), {}, {}, {}, {}});
        QCOMPARE(listing.save(), QString());
        JobController jobs;
        ModelLibrary library(&jobs);
        QSignalSpy rejected(&library, &ModelLibrary::modelRejected);
        QCOMPARE(library.openWorkspace(folder.path()), QString());
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, test::kEventTimeoutMs);
        QCOMPARE(library.models().size(), 1);  // the drive may be back tomorrow: the index keeps it
        QVERIFY(library.models()[0].loadError.contains("gone.swm"));
        QVERIFY(library.checkedModels().isEmpty());
        Workspace reopened;
        QCOMPARE(reopened.load(folder.path()), QString());
        QCOMPARE(reopened.models().size(), 1);
    }

    void shapeDialogReportsWhatWasEntered() {
        TorchScriptShapeDialog dialog("model.pt");
        const auto spins = dialog.findChildren<QSpinBox*>();
        QCOMPARE(spins.size(), 4);
        spins[0]->setValue(3);
        spins[1]->setValue(32);
        spins[2]->setValue(32);
        spins[3]->setValue(4);
        QCOMPARE(dialog.inputShape(), (QVector<qint64>{3, 32, 32}));
        QCOMPARE(dialog.classNames(), (QStringList{"0", "1", "2", "3"}));
        dialog.findChild<QLineEdit*>()->setText("cat, dog , bird,fish");
        QCOMPARE(dialog.classNames(), (QStringList{"cat", "dog", "bird", "fish"}));
    }

    void demoWorkspaceOrdersTheBundledModels() {
        JobController jobs;
        ModelLibrary library(&jobs);
        QVERIFY2(!ModelLibrary::bundledModelsFolder().isEmpty(), "resources/models not found");
        QCOMPARE(library.openDemoWorkspace(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!library.isReading(), test::kEventTimeoutMs);
        const auto models = library.checkedModels();
        QVERIFY(models.size() >= 3);
        QCOMPARE(models[0].badge(), QString("natural"));
        QVERIFY(models.last().badge().contains("+gaussian"));
        QCOMPARE(library.workspace().datasetSpec(), QString("fmnist:test"));
    }
};

QTEST_MAIN(TestModelLibrary)
#include "TestModelLibrary.moc"
