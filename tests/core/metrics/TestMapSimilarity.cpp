#include "io/NpyFile.h"
#include "metrics/MapSimilarity.h"
#include "metrics/SummaryStatistics.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

class TestMapSimilarity : public QObject {
    Q_OBJECT
private:
    static fs::path fixtures() { return fs::path(SW_TEST_FIXTURES_DIR) / "saliency"; }

private Q_SLOTS:
    void ssimEqualsScikitImage() {
        const auto a = readNpy(fixtures() / "ssim_a.npy"), b = readNpy(fixtures() / "ssim_b.npy");
        const auto expected = readNpy(fixtures() / "ssim.npy");
        const auto ours = structuralSimilarity(a, b, 5, 2.0);
        for (int64_t i = 0; i < expected.size(0); ++i) {
            qInfo("pair %lld: ours %.10f skimage %.10f", static_cast<long long>(i), ours[i].item<double>(), expected[i].item<double>());
        }
        QVERIFY(torch::allclose(ours, expected, 1e-9, 1e-10));
        QVERIFY(torch::allclose(structuralSimilarity(a, a), torch::ones({a.size(0)}, torch::kFloat64)));
    }
    void spearmanEqualsScipyWithTies() {
        const auto a = readNpy(fixtures() / "ssim_a.npy"), b = readNpy(fixtures() / "ssim_b.npy");
        const auto expected = readNpy(fixtures() / "spearman.npy");
        const auto ours = spearmanCorrelation(a, b);
        QVERIFY(torch::allclose(ours, expected, 1e-9, 1e-10));
    }
    void topKOverlapCountsSharedTopEntries() {
        auto a = torch::arange(10, torch::kFloat64).view({1, 2, 5});  // top 20 %: entries 8, 9
        auto b = a.clone();
        b.view(-1)[8] = -1.0;  // b's top 2: 9 and 7
        QCOMPARE(topKOverlap(a, b, 0.2)[0].item<double>(), 0.5);
        QCOMPARE(topKOverlap(a, a, 0.2)[0].item<double>(), 1.0);
    }
    void maxAbsNormalisation() {
        auto maps = torch::tensor({-4.0, 2.0, 0.0, 0.0}).view({2, 1, 2});
        const auto normalised = normaliseByMaxAbs(maps);
        QVERIFY(torch::allclose(normalised, torch::tensor({-1.0, 0.5, 0.0, 0.0}).view({2, 1, 2})));
    }
    void summaryIgnoresNanAndBracketsTheMean() {
        std::vector<double> values = {1, 2, 3, 4, 100, std::nan("")};
        const auto summary = summarize(values, 1);
        QCOMPARE(summary.count, int64_t(5));
        QCOMPARE(summary.nanCount, int64_t(1));
        QCOMPARE(summary.mean, 22.0);
        QCOMPARE(summary.median, 3.0);
        QVERIFY(summary.ci95Low <= summary.mean && summary.mean <= summary.ci95High);
        QVERIFY(std::abs(summary.log10Mean - std::log10(22.0)) < 1e-12);
        QCOMPARE(summarize(values, 1).ci95Low, summary.ci95Low);  // seeded
    }
};

QTEST_APPLESS_MAIN(TestMapSimilarity)
#include "TestMapSimilarity.moc"
