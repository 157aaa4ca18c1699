#include "data/Cifar10Format.h"
#include "data/DatasetLoader.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;
using sw::test::expectErrorMentioning;

class TestCifar10Format : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;

    fs::path makeCifarFolder() {
        const auto folder = fs::path(m_folder.path().toStdString()) / "cifar-10-batches-bin";
        fs::create_directories(folder);
        for (int i = 1; i <= 5; ++i)
            sw::test::writeBytes(folder / ("data_batch_" + std::to_string(i) + ".bin"), sw::test::makeCifarBatch(4));
        sw::test::writeBytes(folder / "test_batch.bin", sw::test::makeCifarBatch(3));
        std::ofstream(folder / "batches.meta.txt") << "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n";
        return folder;
    }

private Q_SLOTS:
    void parsesRecordsPlaneByPlane() {
        const auto batch = parseCifar10Batch(sw::test::makeCifarBatch(3), "b.bin");
        QCOMPARE(batch.images.sizes().vec(), (std::vector<int64_t>{3, 3, 32, 32}));
        QCOMPARE(batch.labels[2].item<int64_t>(), int64_t(2));
        // pixel p of record i is (i + p) % 256; p = c*1024 + y*32 + x
        QCOMPARE(int(batch.images[1][2][0][5].item<uint8_t>()), (1 + 2048 + 5) % 256);
    }
    void loadsTrainAndTestSplitsFromParentFolder() {
        makeCifarFolder();
        const auto train = loadDataset(DatasetSpec::parse("cifar10:" + m_folder.path().toStdString() + ":train"));
        QCOMPARE(train.size(), int64_t(20));
        QCOMPARE(train.classNames[1], std::string("automobile"));
        const auto test = loadDataset(DatasetSpec::parse("cifar10:" + m_folder.path().toStdString()));
        QCOMPARE(test.size(), int64_t(3));
    }
    void truncatedBatchIsRejected() {
        auto bytes = sw::test::makeCifarBatch(2);
        bytes.resize(bytes.size() - 100);
        expectErrorMentioning([&] { parseCifar10Batch(bytes, "data_batch_3.bin"); },
                              {"data_batch_3.bin", "not a multiple of the 3073-byte record", "truncated"});
        expectErrorMentioning([&] { parseCifar10Batch({}, "empty.bin"); }, {"empty.bin", "empty"});
    }
    void badLabelIsRejected() {
        auto bytes = sw::test::makeCifarBatch(2);
        bytes[3073] = 200;
        expectErrorMentioning([&] { parseCifar10Batch(bytes, "test_batch.bin"); }, {"test_batch.bin", "label 200 of record 1"});
    }
    void missingFileIsNamed() {
        const auto folder = makeCifarFolder();
        fs::remove(folder / "data_batch_4.bin");
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("cifar10:" + folder.string() + ":train")); },
                              {"data_batch_4.bin", "not found"});
    }
};

QTEST_APPLESS_MAIN(TestCifar10Format)
#include "TestCifar10Format.moc"
