#include <QtTest/QtTest>

#include "shell/Workspace.h"

using namespace sw::ui;

class TestWorkspace : public QObject {
    Q_OBJECT
private slots:
    void roundTripKeepsModelsAndRelativePaths() {
        QTemporaryDir folder;
        Workspace workspace(folder.path());
        workspace.setDatasetSpec("shapes:100:2");
        workspace.addModel(ModelEntry{folder.filePath("models/a.swm"), {}, {}, {}, {}});
        workspace.addModel(ModelEntry{"/elsewhere/b.pt", {1, 28, 28}, {"x", "y"}, {}, {}});
        workspace.addModel(ModelEntry{folder.filePath("models/../models/a.swm"), {}, {}, {}, {}});  // same file again
        QCOMPARE(workspace.models().size(), 2);
        QCOMPARE(workspace.save(), QString());

        QFile index(folder.filePath("workspace.json"));
        QVERIFY(index.open(QIODevice::ReadOnly));
        const auto text = QString::fromUtf8(index.readAll());
        QVERIFY2(text.contains("\"models/a.swm\""), qPrintable(text));  // relative inside the workspace
        QVERIFY(text.contains("/elsewhere/b.pt"));

        Workspace reopened;
        QCOMPARE(reopened.load(folder.path()), QString());
        QCOMPARE(reopened.datasetSpec(), QString("shapes:100:2"));
        QCOMPARE(reopened.models().size(), 2);
        QCOMPARE(reopened.models()[0].path, QDir::cleanPath(folder.filePath("models/a.swm")));
        QCOMPARE(reopened.models()[1].inputShape, (QVector<qint64>{1, 28, 28}));
        QCOMPARE(reopened.models()[1].classNames, (QStringList{"x", "y"}));
        QVERIFY(QDir(folder.path()).entryList(QDir::Files).size() == 1);  // no temporary file left behind
    }

    void missingIndexIsAnEmptyWorkspace() {
        QTemporaryDir folder;
        Workspace workspace;
        QCOMPARE(workspace.load(folder.path()), QString());
        QVERIFY(workspace.models().isEmpty());
        QCOMPARE(workspace.folder(), QDir(folder.path()).absolutePath());
    }

    void corruptIndexIsReportedAndNothingChanges() {
        QTemporaryDir good, bad;
        Workspace workspace(good.path());
        workspace.addModel(ModelEntry{good.filePath("m.swm"), {}, {}, {}, {}});
        QFile index(bad.filePath("workspace.json"));
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write("{\"format\": \"saliency-workbench-workspace\", \"models\": [");
        index.close();
        const QString error = workspace.load(bad.path());
        QVERIFY2(error.contains("workspace.json") && error.contains("not valid JSON"), qPrintable(error));
        QCOMPARE(workspace.folder(), good.path());
        QCOMPARE(workspace.models().size(), 1);

        QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
        index.write("{\"something\": 1}");
        index.close();
        QVERIFY(workspace.load(bad.path()).contains("not a Saliency Workbench workspace index"));
    }

    void unwritableFolderIsReported() {
        Workspace workspace("/proc/no-such-workspace");
        const QString error = workspace.save();
        QVERIFY2(error.contains("workspace.json"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "TestWorkspace.moc"
