#include "data/DatasetLoader.h"
#include "data/IdxFormat.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;
using sw::test::expectErrorMentioning;

class TestIdxFormat : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }

    /// A Fashion-MNIST-shaped folder: 5 training and 3 test images of 28×28.
    fs::path makeIdxFolder(const std::string& name, bool gzipped) {
        const auto folder = dir() / name;
        fs::create_directories(folder);
        auto write = gzipped ? sw::test::writeGzip : sw::test::writeBytes;
        const std::string suffix = gzipped ? ".gz" : "";
        write(folder / ("train-images-idx3-ubyte" + suffix), sw::test::makeIdxImages(5, 28, 28));
        write(folder / ("train-labels-idx1-ubyte" + suffix), sw::test::makeIdxLabels(5));
        write(folder / ("t10k-images-idx3-ubyte" + suffix), sw::test::makeIdxImages(3, 28, 28));
        write(folder / ("t10k-labels-idx1-ubyte" + suffix), sw::test::makeIdxLabels(3));
        return folder;
    }

private Q_SLOTS:
    void readsPlainAndGzippedFolders() {
        for (const bool gzipped : {false, true}) {
            const auto folder = makeIdxFolder(gzipped ? "gz" : "plain", gzipped);
            const auto train = loadDataset(DatasetSpec::parse("fmnist:" + folder.string() + ":train"));
            QCOMPARE(train.size(), int64_t(5));
            QCOMPARE(train.imageShape(), (std::array<int64_t, 3>{1, 28, 28}));
            QCOMPARE(train.labels[3].item<int64_t>(), int64_t(3));
            // pixel (i, p) = (i * 7 + p) % 256
            QCOMPARE(int(train.images[2][0][1][3].item<uint8_t>()), (2 * 7 + 28 + 3) % 256);
            QCOMPARE(train.classNames.size(), size_t(10));
            QCOMPARE(train.classNames[9], std::string("Ankle boot"));
            const auto test = loadDataset(DatasetSpec::parse("fmnist:" + folder.string()));  // default split: test
            QCOMPARE(test.size(), int64_t(3));
            QCOMPARE(test.spec, "fmnist:" + folder.string() + ":test");
        }
    }
    void floatImagesAreInUnitRange() {
        const auto folder = makeIdxFolder("range", false);
        const auto set = loadDataset(DatasetSpec::parse("fmnist:" + folder.string()));
        const auto pixels = set.floatImages(torch::arange(3));
        QVERIFY(pixels.min().item<float>() >= 0.0f);
        QVERIFY(pixels.max().item<float>() <= 1.0f);
        QCOMPARE(pixels[1][0][0][0].item<float>(), 7.0f / 255.0f);
    }
    void truncatedImageFileNamesFileAndSizes() {
        auto bytes = sw::test::makeIdxImages(4, 28, 28);
        bytes.resize(1024);
        expectErrorMentioning([&] { parseIdxImages(bytes, "train-images-idx3-ubyte.gz"); },
                              {"train-images-idx3-ubyte.gz", "expected 3152 bytes, found 1024", "truncated"});
    }
    void trailingDataIsRejected() {
        auto bytes = sw::test::makeIdxImages(2, 4, 4);
        bytes.push_back(0);
        expectErrorMentioning([&] { parseIdxImages(bytes, "x.idx"); }, {"x.idx", "trailing"});
    }
    void badMagicIsRejected() {
        auto bytes = sw::test::makeIdxLabels(3);
        expectErrorMentioning([&] { parseIdxImages(bytes, "labels-as-images"); }, {"labels-as-images", "bad magic", "0x00000801"});
        bytes[2] = 0x0D;  // float data
        expectErrorMentioning([&] { parseIdxLabels(bytes, "f.idx", 10); }, {"f.idx", "bad magic"});
        expectErrorMentioning([&] { parseIdxLabels({0, 0}, "tiny", 10); }, {"tiny", "found 2 bytes"});
    }
    void hugeHeaderDimensionsDoNotOverflow() {
        std::vector<uint8_t> bytes = {0, 0, 0x08, 3};
        for (int d = 0; d < 3; ++d) sw::test::appendBigEndian32(bytes, 0xFFFFFFFFu);
        expectErrorMentioning([&] { parseIdxImages(bytes, "huge.idx"); }, {"huge.idx", "implausible size"});
    }
    void labelOutOfRangeIsRejected() {
        auto bytes = sw::test::makeIdxLabels(4);
        bytes.back() = 12;
        expectErrorMentioning([&] { parseIdxLabels(bytes, "labels", 10); }, {"labels", "label 12 at index 3", "out of range"});
    }
    void mismatchedCountsAreRejected() {
        const auto folder = makeIdxFolder("mismatch", false);
        sw::test::writeBytes(folder / "t10k-labels-idx1-ubyte", sw::test::makeIdxLabels(2));
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("fmnist:" + folder.string())); },
                              {"t10k-labels-idx1-ubyte", "2 labels", "3 images"});
    }
    void truncatedGzipIsRejected() {
        const auto folder = makeIdxFolder("badgz", true);
        const auto path = folder / "t10k-images-idx3-ubyte.gz";
        const auto size = fs::file_size(path);
        fs::resize_file(path, size / 2);
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("fmnist:" + folder.string())); }, {"t10k-images-idx3-ubyte.gz"});
    }
    void missingFileNamesFolder() {
        const auto folder = dir() / "empty";
        fs::create_directories(folder);
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("fmnist:" + folder.string())); },
                              {"t10k-images-idx3-ubyte", "not found", folder.string()});
    }
    void readsDebianFashionMnistWhenInstalled() {
        if (!fs::exists(std::string(kDebianFashionMnistDir) + "/t10k-images-idx3-ubyte.gz")) {
            QSKIP("dataset-fashion-mnist is not installed");
        }
        const auto test = loadDataset(DatasetSpec::parse("fmnist"));
        QCOMPARE(test.size(), int64_t(10000));
        QCOMPARE(test.imageShape(), (std::array<int64_t, 3>{1, 28, 28}));
        QCOMPARE(torch::bincount(test.labels).min().item<int64_t>(), int64_t(1000));
    }
};

QTEST_APPLESS_MAIN(TestIdxFormat)
#include "TestIdxFormat.moc"
