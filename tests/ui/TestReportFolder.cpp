#include <QtTest/QtTest>
#include <QtWidgets>

#include "MainWindow.h"
#include "ModelLibrary.h"
#include "StabilityPanel.h"
#include "StabilityPlot.h"
#include "SummaryTable.h"

using namespace sw::ui;

/// The GUI opens a folder written by `saliency-cli reproduce` (the smoke run of tests/app).
class TestReportFolder : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensModelsEvaluationsAndCurves() {
        MainWindow window(MainWindow::Options{false});
        window.show();
        const QString folder = QStringLiteral(SW_REPORT_FOLDER);
        QCOMPARE(window.openReport(folder, false), QString());
        QCOMPARE(window.tabs()->currentWidget(), static_cast<QWidget*>(window.stabilityPanel()));
        QTRY_VERIFY_WITH_TIMEOUT(!window.library()->isReading(), 30000);
        QCOMPARE(window.library()->checkedModels().size(), 9);
        auto* table = window.stabilityPanel()->table();
        QCOMPARE(table->rowCount(), 18);  // 9 models × VG and IG
        QStringList models;
        for (int row = 0; row < table->rowCount(); ++row) models << table->item(row, 0)->text();
        QVERIFY(models.contains("adv-eps0.1-gaussian") && models.contains("natural"));
        const auto series = window.stabilityPanel()->plot()->seriesNames();
        QCOMPARE(series.size(), 9);
        for (const auto& name : series) QCOMPARE(window.stabilityPanel()->plot()->pointCount(name), 2);  // smoke: two σ
    }

    void aFolderWithoutEvaluationsIsRefused() {
        QTemporaryDir empty;
        MainWindow window(MainWindow::Options{false});
        const QString error = window.openReport(empty.path(), false);
        QVERIFY2(error.contains(empty.path()) && error.contains("no evaluations"), qPrintable(error));
    }
};

QTEST_MAIN(TestReportFolder)
#include "TestReportFolder.moc"
