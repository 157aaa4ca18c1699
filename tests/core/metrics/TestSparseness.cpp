#include "metrics/Sparseness.h"
#include "TestSupport.h"

/// Closed forms of the Gini index, and Quantus' formula written out independently in a loop.
class TestSparseness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void uniformMapIsZero() {
        const auto gini = sw::giniIndex(torch::full({2, 1, 8, 8}, 0.3));
        QVERIFY(gini.abs().max().item<double>() < 1e-9);
    }
    void oneHotMapIsOneMinusOneOverN() {
        auto map = torch::zeros({1, 1, 10, 10});
        map[0][0][3][4] = -2.0;  // sign is ignored
        const double n = 100.0;
        QVERIFY(std::abs(sw::giniIndex(map, false)[0].item<double>() - (1.0 - 1.0 / n)) < 1e-4);
        QVERIFY(std::abs(sw::giniIndex(map, true)[0].item<double>() - (1.0 - 1.0 / n)) < 1e-5);
    }
    void matchesTheFormulaOnRandomMaps() {
        const auto maps = torch::randn({3, 2, 5, 5}, torch::kFloat64);
        const auto gini = sw::giniIndex(maps, false);
        for (int64_t s = 0; s < 3; ++s) {
            std::vector<double> a;
            for (int64_t i = 0; i < 50; ++i) a.push_back(std::abs(maps[s].flatten()[i].item<double>()) + 1e-7);
            std::sort(a.begin(), a.end());
            double numerator = 0, total = 0;
            for (size_t i = 0; i < a.size(); ++i) {
                numerator += (2.0 * double(i + 1) - 50.0 - 1.0) * a[i];
                total += a[i];
            }
            QVERIFY(std::abs(gini[s].item<double>() - numerator / (50.0 * total)) < 1e-12);
        }
    }
    void sparserMapsScoreHigher() {
        auto spread = torch::ones({1, 1, 6, 6});
        auto concentrated = torch::zeros({1, 1, 6, 6});
        concentrated[0][0].slice(0, 0, 2).slice(1, 0, 2) = 1.0;
        QVERIFY(sw::giniIndex(concentrated)[0].item<double>() > sw::giniIndex(spread)[0].item<double>() + 0.5);
    }
};

QTEST_APPLESS_MAIN(TestSparseness)
#include "TestSparseness.moc"
