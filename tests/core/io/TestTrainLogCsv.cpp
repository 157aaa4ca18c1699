#include <filesystem>
#include <fstream>

#include "io/TrainLogCsv.h"
#include "util/InputError.h"
#include "TestSupport.h"

using namespace sw;
namespace fs = std::filesystem;

/// io/TrainLogCsv: MODEL.train.csv as a run writes it (and continues it after a resume) and the report reads it.
class TestTrainLogCsv : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    std::string path(const char* name) const { return (fs::path(m_folder.path().toStdString()) / name).string(); }

    static QString refusal(const std::string& file) {
        try {
            readTrainLogCsv(file);
        } catch (const InputError& error) {
            return QString::fromStdString(error.what());
        }
        return {};
    }

private Q_SLOTS:
    void aRunsLogReadsBackAndAResumeKeepsItsFirstPart() {
        const auto file = path("run.swm.train.csv");
        {
            TrainLogCsv log(file);
            for (int64_t step = 10; step <= 40; step += 10)
                log.add({step, 40, step / 20, 2.0 / double(step), 0.25 + 0.01 * double(step), 900.0, 0.1 * double(step)});
        }
        auto rows = readTrainLogCsv(file);
        QCOMPARE(rows.size(), size_t(4));
        QCOMPARE(rows[2].step, int64_t(30));
        QCOMPARE(rows[2].epoch, int64_t(1));
        QCOMPARE(rows[2].accuracy, 0.55);
        QVERIFY(std::abs(rows[2].loss - 2.0 / 30.0) < 1e-6);  // six significant digits

        TrainLogCsv resumed(file);
        resumed.continueFrom(20);
        resumed.add({30, 40, 1, 0.5, 0.6, 900.0, 3.0});
        rows = readTrainLogCsv(file);
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows.back().accuracy, 0.6);
    }

    void aBadLogIsNamedWithItsProblem() {
        QVERIFY(refusal(path("missing.csv")).contains("missing.csv"));
        std::ofstream(path("other.csv")) << "model,method\n";
        QVERIFY2(refusal(path("other.csv")).contains("not a training log"), qPrintable(refusal(path("other.csv"))));
        std::ofstream(path("torn.csv")) << kTrainLogCsvHeader << "\n10,0,0.5,0.4,900,1\n20,0,0.4\n";
        QVERIFY2(refusal(path("torn.csv")).contains("torn.csv:3"), qPrintable(refusal(path("torn.csv"))));
    }
};

QTEST_APPLESS_MAIN(TestTrainLogCsv)
#include "TestTrainLogCsv.moc"
