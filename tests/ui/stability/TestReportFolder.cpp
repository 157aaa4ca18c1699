#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "io/CurvesCsv.h"
#include "jobs/SaliencyEvaluationJob.h"
#include "jobs/TrainJob.h"
#include "shell/MainWindow.h"
#include "shell/ModelLibrary.h"
#include "stability/StabilityPanel.h"
#include "stability/StabilityPlot.h"
#include "stability/SummaryTable.h"
#include "util/AtomicFile.h"

using namespace sw::ui;

namespace {

/// A small report folder in the layout `saliency-cli reproduce` writes (models/, evaluations/, curves.csv,
/// workspace.json), made here through the core's job API so that this test owns its fixture.
QString writeReportFolder(const QString& root) {
    const std::string folder = root.toStdString();
    const std::vector<std::pair<std::string, double>> models = {{"natural", 0.0}, {"adv-eps0.1", 0.1}};
    std::vector<sw::CurveRow> curves;
    nlohmann::json workspaceModels = nlohmann::json::array();
    for (const auto& [name, epsilon] : models) {
        sw::TrainRequest train;
        train.datasetSpec = "shapes:256:4";
        train.recipe.maxSteps = 16;
        if (epsilon > 0) {
            train.recipe.adversarial.kind = "fgsm-rs";
            train.recipe.adversarial.epsilon = epsilon;
        }
        train.threads = 2;
        train.device = "cpu";
        train.evalLimit = 32;
        train.outputPath = folder + "/models/" + name + ".swm";
        sw::Feedback feedback;
        if (const auto result = sw::runTrainJob(train, feedback, {}); result.outcome != sw::Outcome::Completed)
            return QString::fromStdString(result.message);
        workspaceModels.push_back({{"path", "models/" + name + ".swm"}});
        for (const char* method : {"vg", "ig"}) {
            sw::SaliencyEvaluationRequest evaluate;
            evaluate.modelPath = train.outputPath;
            evaluate.datasetSpec = "shapes:64:4:test";
            evaluate.limit = 64;
            evaluate.protocol.saliency.method = method;
            evaluate.protocol.saliency.igSteps = 8;
            evaluate.protocol.stabilitySamples = 2;
            evaluate.protocol.noiseLevels = {0.01, 0.1};
            evaluate.device = "cpu";
            evaluate.jsonPath = folder + "/evaluations/" + name + "." + method + ".json";
            std::string document;
            if (const auto result = sw::runSaliencyEvaluationJob(evaluate, feedback, &document); result.outcome != sw::Outcome::Completed) {
                return QString::fromStdString(result.message);
            }
            const auto ssim = nlohmann::json::parse(document)["summary"]["ssim"];
            for (size_t i = 0; i < ssim["sigma"].size(); ++i) {
                const auto mean = ssim["mean"][i].is_number() ? ssim["mean"][i].get<double>() : std::nan("");
                curves.push_back({name, method, "ssim", ssim["sigma"][i].get<double>(), mean, mean, mean, ssim["n"][i].get<int64_t>()});
            }
        }
    }
    sw::writeCurvesCsv(folder + "/curves.csv", curves);
    sw::writeTextFileAtomically(
        folder + "/workspace.json",
        nlohmann::json{
            {"format", "saliency-workbench-workspace"}, {"version", 1}, {"dataset", "shapes:64:4:test"}, {"models", workspaceModels}}
            .dump(2));
    return {};
}

}  // namespace

/// The GUI opens a reproduction's report folder: its models, evaluations and curves.
class TestReportFolder : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_report;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        const QString problem = writeReportFolder(m_report.path());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void opensModelsEvaluationsAndCurves() {
        MainWindow window(MainWindow::Options{false});
        window.show();
        QCOMPARE(window.openReport(m_report.path(), false), QString());
        QCOMPARE(window.tabs()->currentWidget(), static_cast<QWidget*>(window.stabilityPanel()));
        QTRY_VERIFY_WITH_TIMEOUT(!window.library()->isReading(), test::kEventTimeoutMs);
        QCOMPARE(window.library()->checkedModels().size(), 2);
        auto* table = window.stabilityPanel()->table();
        QCOMPARE(table->rowCount(), 4);  // 2 models × VG and IG
        QStringList models;
        for (int row = 0; row < table->rowCount(); ++row) models << table->item(row, 0)->text();
        QVERIFY(models.contains("adv-eps0.1") && models.contains("natural"));
        const auto series = window.stabilityPanel()->plot()->seriesNames();
        QCOMPARE(series.size(), 2);
        for (const auto& name : series) QCOMPARE(window.stabilityPanel()->plot()->pointCount(name), 2);  // two σ
        // The curves keep their n column when exported again.
        const QString exported = QDir(m_report.path()).filePath("exported.csv");
        QCOMPARE(window.stabilityPanel()->exportCurvesCsv(exported), QString());
        const auto rows = sw::readCurvesCsv(exported.toStdString());
        QCOMPARE(rows.size(), size_t(4));
        for (const auto& row : rows) QVERIFY(row.n > 0);
    }

    void opensASeedStudy() {
        // The layout `saliency-cli reproduce --seeds 0,1` writes: one report folder per seed, study.json, the
        // seeds' curves in one curves.csv (models "seed-N/NAME") and a workspace of the first seed's models.
        QTemporaryDir study;
        std::vector<sw::CurveRow> curves;
        for (const char* seed : {"seed-0", "seed-1"}) {
            const QString folder = QDir(study.path()).filePath(seed);
            QVERIFY(QDir().mkpath(folder));
            const QString problem = writeReportFolder(folder);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            for (auto row : sw::readCurvesCsv(QDir(folder).filePath("curves.csv").toStdString())) {
                row.model = std::string(seed) + "/" + row.model;
                curves.push_back(row);
            }
        }
        const std::string root = study.path().toStdString();
        sw::writeCurvesCsv(root + "/curves.csv", curves);
        sw::writeTextFileAtomically(
            root + "/study.json",
            nlohmann::json{{"format", "saliency-workbench-seed-study"}, {"seeds", {0, 1}}, {"folders", {"seed-0", "seed-1"}}}.dump());
        sw::writeTextFileAtomically(
            root + "/workspace.json",
            nlohmann::json{{"format", "saliency-workbench-workspace"},
                           {"version", 1},
                           {"dataset", "shapes:64:4:test"},
                           {"models", {{{"path", "seed-0/models/natural.swm"}}, {{"path", "seed-0/models/adv-eps0.1.swm"}}}}}
                .dump());
        MainWindow window(MainWindow::Options{false});
        window.show();
        QCOMPARE(window.openReport(study.path(), false), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!window.library()->isReading(), test::kEventTimeoutMs);
        auto* table = window.stabilityPanel()->table();
        QCOMPARE(table->rowCount(), 8);  // 2 seeds × 2 models × VG and IG
        QStringList models;
        for (int row = 0; row < table->rowCount(); ++row) models << table->item(row, 0)->text();
        QVERIFY2(models.contains("seed-1/adv-eps0.1"), qPrintable(models.join(", ")));
        // One pooled line per model (mean over the seeds), not one per seed.
        QCOMPARE(window.stabilityPanel()->plot()->seriesNames().size(), 2);
        QCOMPARE(window.stabilityPanel()->plot()->pointCount("natural"), 2);
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
