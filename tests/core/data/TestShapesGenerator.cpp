#include "data/DatasetLoader.h"
#include "data/ShapesGenerator.h"
#include "TestSupport.h"

using namespace sw;

class TestShapesGenerator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void isDeterministicPerSample() {
        ShapesOptions options;
        options.count = 40;
        options.seed = 5;
        const auto a = generateShapes(options);
        const auto b = generateShapes(options);
        QVERIFY(torch::equal(a.images, b.images));
        QVERIFY(torch::equal(a.masks, b.masks));
        // Sample i depends only on (seed, i): a longer set starts with the same samples.
        options.count = 60;
        const auto longer = generateShapes(options);
        QVERIFY(torch::equal(longer.images.slice(0, 0, 40), a.images));
        options.seed = 6;
        QVERIFY(!torch::equal(generateShapes(options).images.slice(0, 0, 40), a.images));
    }
    void hasEveryClassAndNonTrivialMasks() {
        ShapesOptions options;
        options.count = 200;
        const auto set = generateShapes(options);
        QCOMPARE(set.classNames.size(), size_t(4));
        QCOMPARE(torch::bincount(set.labels, {}, 4).min().item<int64_t>() > 20, true);
        const auto area = set.masks.gt(0).sum({1, 2}).to(torch::kFloat32) / float(28 * 28);
        QVERIFY(area.min().item<float>() > 0.03f);
        QVERIFY(area.max().item<float>() < 0.6f);
    }
    void objectDiffersFromBackground() {
        ShapesOptions options;
        options.count = 50;
        const auto set = generateShapes(options);
        const auto pixels = set.images.to(torch::kFloat32).squeeze(1);
        const auto inside = set.masks.gt(0);
        for (int64_t i = 0; i < set.size(); ++i) {
            const auto objectMean = pixels[i].masked_select(inside[i]).mean().item<float>();
            const auto backgroundMean = pixels[i].masked_select(inside[i].logical_not()).mean().item<float>();
            QVERIFY2(std::abs(objectMean - backgroundMean) > 40.0f, "shape contrast too low");
        }
    }
    void specSplitsAreIndependentStreams() {
        const auto train = loadDataset(DatasetSpec::parse("shapes:30:1:train"));
        const auto test = loadDataset(DatasetSpec::parse("shapes:30:1:test"));
        QVERIFY(!torch::equal(train.images, test.images));
        DatasetLoadOptions colour;
        colour.imageShape = std::array<int64_t, 3>{3, 32, 32};
        QCOMPARE(loadDataset(DatasetSpec::parse("shapes:8"), colour).imageShape(), (std::array<int64_t, 3>{3, 32, 32}));
    }
};

QTEST_APPLESS_MAIN(TestShapesGenerator)
#include "TestShapesGenerator.moc"
