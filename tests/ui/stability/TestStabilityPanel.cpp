#include "ui/shell/TwoModelWindow.h"

#include "stability/StabilityPanel.h"
#include "stability/StabilityPlot.h"
#include "stability/SummaryTable.h"
#include "jobs/JobEdge.h"

using namespace sw::ui;

/// The stability lab as a user drives it: curves that grow per model and export as PNG, SVG, PDF and CSV, and the
/// summary table, sorted, exported and copied.
class TestStabilityPanel : public test::TwoModelWindow {
    Q_OBJECT
private slots:
    void initTestCase() { QCOMPARE(open(), QString()); }
    void cleanupTestCase() { close(); }

    void stabilityCurvesGrowPerModelAndExport() {
        auto* lab = window()->stabilityPanel();
        lab->setImageCount(24);
        lab->setNoiseLevels("0.05, 0.1");
        lab->setMeasure("ssim");
        lab->setMethod("vg");
        QSignalSpy finished(lab, &StabilityPanel::curvesFinished);
        lab->runCurves();
        lab->runCurves();  // a second click replaces the first run: its rows never reach the new figure
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Completed));
        for (const auto& model : window()->library()->checkedModels()) {
            QCOMPARE(lab->plot()->pointCount(model.displayName()), 2);
        }
        QCOMPARE(lab->curveRows().size(), modelCount() * 2);  // a row per model and noise level

        const QDir out(workspaceFile("results"));
        QDir().mkpath(out.path());
        QCOMPARE(lab->exportPlot(out.filePath("curves.png")), QString());
        QImage plotImage(out.filePath("curves.png"));
        QVERIFY(!plotImage.isNull() && plotImage.width() > 200);
        QVERIFY(test::colourContent(plotImage).second);
        QCOMPARE(lab->exportPlot(out.filePath("curves.svg")), QString());
        QFile svg(out.filePath("curves.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
        QCOMPARE(lab->exportPlot(out.filePath("curves.pdf")), QString());
        QFile pdf(out.filePath("curves.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
        QCOMPARE(lab->exportCurvesCsv(out.filePath("curves.csv")), QString());
        QFile csv(out.filePath("curves.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const auto lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + modelCount() * 2);
        QCOMPARE(lines[0], QString("model,method,measure,sigma,mean,ci_low,ci_high,n"));
        const auto fields = lines[1].split(',');
        QCOMPARE(fields[2], QString("ssim"));
        QVERIFY(fields[5].toDouble() <= fields[4].toDouble() && fields[4].toDouble() <= fields[6].toDouble());
    }

    void summaryTableFillsAndExports() {
        auto* lab = window()->stabilityPanel();
        lab->setImageCount(16);
        QSignalSpy finished(lab, &StabilityPanel::summaryFinished);
        lab->runSummary();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        auto* table = lab->table();
        QCOMPARE(table->rowCount(), modelCount() * 2);  // a row per model and method (VG, IG)
        for (int row = 0; row < table->rowCount(); ++row) {
            const double accuracy = table->item(row, 4)->data(Qt::DisplayRole).toDouble();
            QVERIFY(accuracy >= 0.0 && accuracy <= 100.0);
            const double gini = table->item(row, 6)->data(Qt::DisplayRole).toDouble();
            QVERIFY(gini > 0.0 && gini < 1.0);
        }
        table->sortItems(6, Qt::DescendingOrder);  // numeric sort by Gini
        QVERIFY(table->item(0, 6)->data(Qt::DisplayRole).toDouble() >=
                table->item(table->rowCount() - 1, 6)->data(Qt::DisplayRole).toDouble());
        const QString path = workspaceFile("results/summary.csv");
        QCOMPARE(lab->exportTableCsv(path), QString());
        QFile csv(path);
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + modelCount() * 2);
        // Plain ASCII column names that any tool reads (the screen's "log₁₀ ROS ↓" is for people).
        QCOMPARE(lines.front(), QString("model,badge,method,images,accuracy_percent,robust_accuracy_percent,gini,log10_ris,log10_ros,"
                                        "aopc_morf,aopc_lerf"));
        table->selectAll();
        table->copySelection();
        QVERIFY(QApplication::clipboard()->text().split('\n').size() == 1 + modelCount() * 2);
    }
};

QTEST_MAIN(TestStabilityPanel)
#include "TestStabilityPanel.moc"
