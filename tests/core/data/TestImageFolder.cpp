#include <opencv2/imgcodecs.hpp>

#include "data/DatasetLoader.h"
#include "data/ImageConversion.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;
using sw::test::expectErrorMentioning;

class TestImageFolder : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }

    /// A BGR image whose left half is pure blue and right half pure red.
    static cv::Mat halfBlueHalfRed(int rows, int cols) {
        cv::Mat image(rows, cols, CV_8UC3, cv::Scalar(255, 0, 0));
        image(cv::Rect(cols / 2, 0, cols - cols / 2, rows)).setTo(cv::Scalar(0, 0, 255));
        return image;
    }

private Q_SLOTS:
    void borderConvertsBgrToRgbPlanes() {
        const auto tensor = matToTensor(halfBlueHalfRed(4, 6), 3);
        QCOMPARE(tensor.sizes().vec(), (std::vector<int64_t>{3, 4, 6}));
        QCOMPARE(int(tensor[2][0][0].item<uint8_t>()), 255);  // blue plane, left
        QCOMPARE(int(tensor[0][0][5].item<uint8_t>()), 255);  // red plane, right
        QCOMPARE(int(tensor[0][0][0].item<uint8_t>()), 0);
        const auto back = tensorToMat(tensor);
        QCOMPARE(cv::norm(back, halfBlueHalfRed(4, 6), cv::NORM_INF), 0.0);
    }
    void loadsClassFoldersResizedAndCropped() {
        const auto root = dir() / "imagenette" / "train";
        for (const char* name : {"n01", "n02"}) fs::create_directories(root / name);
        cv::imwrite((root / "n01" / "a.png").string(), halfBlueHalfRed(40, 80));
        cv::imwrite((root / "n01" / "b.jpg").string(), halfBlueHalfRed(64, 64));
        cv::imwrite((root / "n02" / "c.png").string(), cv::Mat(30, 30, CV_8UC1, cv::Scalar(128)));
        std::ofstream(root / "n02" / "notes.txt") << "not an image, ignored";
        DatasetLoadOptions options;
        options.imageShape = std::array<int64_t, 3>{3, 32, 32};
        options.defaultSplit = "train";
        const auto set = loadDataset(DatasetSpec::parse("imagefolder:" + (dir() / "imagenette").string()), options);
        QCOMPARE(set.size(), int64_t(3));
        QCOMPARE(set.classNames, (std::vector<std::string>{"n01", "n02"}));
        QCOMPARE(set.labels[2].item<int64_t>(), int64_t(1));
        QCOMPARE(set.imageShape(), (std::array<int64_t, 3>{3, 32, 32}));
        // 40×80 → scaled to 32×64, centre crop keeps 16 blue then 16 red columns
        QCOMPARE(int(set.images[0][2][16][4].item<uint8_t>()), 255);
        QCOMPARE(int(set.images[0][0][16][28].item<uint8_t>()), 255);
        QCOMPARE(int(set.images[2][1][5][5].item<uint8_t>()), 128);  // gray → RGB
    }
    void folderOfNonImagesIsRejected() {
        const auto root = dir() / "texts";
        fs::create_directories(root / "class_a");
        std::ofstream(root / "class_a" / "readme.txt") << "hello";
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("imagefolder:" + root.string())); }, {root.string(), "no images found"});
    }
    void undecodableImageIsNamed() {
        const auto root = dir() / "broken";
        fs::create_directories(root / "cats");
        std::ofstream(root / "cats" / "cat.png") << "this is not a png";
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("imagefolder:" + root.string())); }, {"cat.png", "cannot decode"});
    }
    void singleImageFile() {
        const auto path = dir() / "single.png";
        cv::imwrite(path.string(), cv::Mat(50, 50, CV_8UC1, cv::Scalar(200)));
        DatasetLoadOptions options;
        options.imageShape = std::array<int64_t, 3>{1, 28, 28};
        const auto set = loadDataset(DatasetSpec::parse("image:" + path.string()), options);
        QCOMPARE(set.size(), int64_t(1));
        QCOMPARE(int(set.images[0][0][14][14].item<uint8_t>()), 200);
        expectErrorMentioning([&] { loadDataset(DatasetSpec::parse("image:" + (dir() / "missing.png").string())); },
                              {"missing.png", "not found"});
    }
};

QTEST_APPLESS_MAIN(TestImageFolder)
#include "TestImageFolder.moc"
