#include "data/BatchSampler.h"
#include "TestSupport.h"

using namespace sw;

class TestBatchSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void epochOrderIsASeededPermutation() {
        const auto order = epochOrder(100, 3, 0);
        QVERIFY(torch::equal(std::get<0>(order.sort()), torch::arange(100)));
        QVERIFY(torch::equal(order, epochOrder(100, 3, 0)));
        QVERIFY(!torch::equal(order, epochOrder(100, 3, 1)));
        QVERIFY(!torch::equal(order, epochOrder(100, 4, 0)));
    }
    void generatorsAreReproducible() {
        auto a = makeGenerator(1, 17), b = makeGenerator(1, 17), c = makeGenerator(1, 18);
        const auto x = torch::rand({5}, a);
        QVERIFY(torch::equal(x, torch::rand({5}, b)));
        QVERIFY(!torch::equal(x, torch::rand({5}, c)));
    }
    void cropFlipKeepsContentAndShape() {
        auto generator = makeGenerator(0, 0);
        const auto pixels = torch::rand({16, 3, 8, 8});
        const auto augmented = augmentCropFlip(pixels, 2, generator);
        QCOMPARE(augmented.sizes().vec(), pixels.sizes().vec());
        // Every augmented pixel is either padding (0) or a value of the same image.
        for (int64_t i = 0; i < 16; ++i) {
            const auto values = augmented[i].flatten();
            const auto source = pixels[i].flatten();
            const auto matches = values.unsqueeze(1).eq(source.unsqueeze(0)).any(1).logical_or(values.eq(0));
            QVERIFY(matches.all().item<bool>());
        }
        QVERIFY(!torch::equal(augmented, pixels));
    }
};

QTEST_APPLESS_MAIN(TestBatchSampler)
#include "TestBatchSampler.moc"
