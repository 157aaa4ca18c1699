#include <cmath>

#include "metrics/SeedStatistics.h"
#include "TestSupport.h"

using namespace sw;

/// Spread across training seeds, against SciPy (scipy.stats.t, 1.16): the expected values below were printed
/// by `stats.t.ppf(0.975, df)` and `stats.t.interval(0.95, n - 1, loc=mean, scale=sd / sqrt(n))`.
class TestSeedStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void studentQuantilesMatchScipy() {
        const std::vector<std::pair<int, double>> scipy = {{1, 12.706204736432095},   {2, 4.302652729696142},    {4, 2.7764451051977987},
                                                           {9, 2.2621571628540993},   {29, 2.045229642132703},   {30, 2.0422724563012373},
                                                           {31, 2.0395134463964077},  {40, 2.0210753903062733},  {60, 2.00029782201426},
                                                           {100, 1.9839715184496334}, {1000, 1.9623390808264074}};
        for (const auto& [df, expected] : scipy) {
            QVERIFY2(std::abs(studentT975(df) - expected) < 1e-4, std::to_string(df).c_str());
        }
        sw::test::expectErrorMentioning([] { studentT975(0); }, {"degrees of freedom 0"});
    }

    void intervalOverFiveSeedsMatchesScipy() {
        const auto summary = acrossSeeds({0.61, 0.58, 0.66, 0.59, 0.63});
        QCOMPARE(summary.count, int64_t(5));
        QVERIFY(std::abs(summary.mean - 0.614) < 1e-12);
        QVERIFY(std::abs(summary.sd - 0.03209361307176246) < 1e-12);
        QVERIFY(std::abs(summary.ciLow - 0.5741505160765108) < 1e-5);
        QVERIFY(std::abs(summary.ciHigh - 0.6538494839234892) < 1e-5);
    }

    void missingSeedsAreLeftOutAndOneSeedHasNoInterval() {
        const auto summary = acrossSeeds({0.61, std::nan(""), 0.58});
        QCOMPARE(summary.count, int64_t(2));
        QVERIFY(std::abs(summary.mean - 0.595) < 1e-12);
        const auto single = acrossSeeds({0.7});
        QCOMPARE(single.mean, 0.7);
        QVERIFY(std::isnan(single.ciLow) && std::isnan(single.sd));
        QVERIFY(std::isnan(acrossSeeds({}).mean));
    }
};

QTEST_APPLESS_MAIN(TestSeedStatistics)
#include "TestSeedStatistics.moc"
