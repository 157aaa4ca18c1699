#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/CurvesCsv.h"
#include "util/AtomicFile.h"
#include "TestSupport.h"

using namespace sw;
namespace fs = std::filesystem;

/// io/CurvesCsv: the curves file the CLI, the reproduction and the GUI share.
class TestCurvesCsv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        fs::remove_all(dir());
        fs::create_directories(dir());
    }

    void curvesCsvRoundTripsWithOneHeader() {
        const auto path = (dir() / "curves.csv").string();
        const std::vector<CurveRow> rows = {{"natural", "vg", "ssim", 0.01, 0.93, 0.9, 0.95, 180},
                                            {"adv", "ig", "ssim", 0.2, std::nan(""), std::nan(""), std::nan(""), 0}};
        writeCurvesCsv(path, rows);
        QCOMPARE(readText(path).substr(0, readText(path).find('\n')), std::string(kCurvesCsvHeader));
        const auto back = readCurvesCsv(path);
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(back[0].model, std::string("natural"));
        QCOMPARE(back[0].noiseSigma, 0.01);
        QCOMPARE(back[0].ciHigh, 0.95);
        QCOMPARE(back[0].n, int64_t(180));
        QVERIFY(std::isnan(back[1].mean));
        writeTextFileAtomically(path, "model,sigma\nx,1\n");
        sw::test::expectErrorMentioning([&] { readCurvesCsv(path); }, {path, "not a curves file"});
        writeTextFileAtomically(path, std::string(kCurvesCsvHeader) + "\nnatural,vg,ssim,0.1,high,0,1,3\n");
        sw::test::expectErrorMentioning([&] { readCurvesCsv(path); }, {path + ":2", "8 fields"});
    }

private:
    static fs::path dir() { return fs::temp_directory_path() / "sw-test-curves-csv"; }
    static std::string readText(const std::string& path) {
        std::ifstream file(path);
        return std::string(std::istreambuf_iterator<char>(file), {});
    }
};

QTEST_APPLESS_MAIN(TestCurvesCsv)
#include "TestCurvesCsv.moc"
