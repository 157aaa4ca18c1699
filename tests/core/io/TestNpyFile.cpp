#include "io/NpyFile.h"
#include "TestSupport.h"

namespace fs = std::filesystem;

/// Round trips through our reader and, independently, through NumPy itself.
class TestNpyFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsEveryDtype() {
        QTemporaryDir folder;
        const std::vector<torch::Tensor> tensors = {torch::rand({2, 3, 4}), torch::rand({5}, torch::kFloat64),
                                                    torch::arange(6, torch::kInt64).view({2, 3}),
                                                    torch::randint(0, 255, {3, 3}, torch::kUInt8)};
        int index = 0;
        for (const auto& tensor : tensors) {
            const auto path = fs::path(folder.path().toStdString()) / ("t" + std::to_string(index++) + ".npy");
            sw::writeNpy(path, tensor);
            QVERIFY(torch::equal(sw::readNpy(path), tensor));
        }
    }
    void numpyReadsWhatWeWrite() {
        QTemporaryDir folder;
        const auto path = fs::path(folder.path().toStdString()) / "grid.npy";
        sw::writeNpy(path, torch::arange(24, torch::kFloat32).view({2, 3, 4}) / 4.0);
        QProcess python;
        python.start(SW_TEST_PYTHON, {"-c",
                                      "import numpy as n, sys; a = n.load(sys.argv[1]); "
                                      "print(a.dtype, a.shape, float(a[1, 2, 3]))",
                                      QString::fromStdString(path.string())});
        QVERIFY(python.waitForFinished(60000));
        if (python.exitCode() != 0) QSKIP("python3-numpy is not installed");
        QCOMPARE(QString(python.readAllStandardOutput()).trimmed(), QString("float32 (2, 3, 4) 5.75"));
    }
    void rejectsNonNpy() {
        QTemporaryDir folder;
        const auto path = fs::path(folder.path().toStdString()) / "bad.npy";
        std::ofstream(path) << "hello";
        sw::test::expectErrorMentioning([&] { sw::readNpy(path); }, {"bad.npy", "not a .npy"});
    }
};

QTEST_APPLESS_MAIN(TestNpyFile)
#include "TestNpyFile.moc"
