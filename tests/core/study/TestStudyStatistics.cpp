#include <fstream>

#include <nlohmann/json.hpp>

#include "study/StudyStatistics.h"
#include "TestSupport.h"

using namespace sw;

namespace {

nlohmann::json fixtures() {
    std::ifstream file(std::string(SW_TEST_FIXTURES_DIR) + "/statistics.json");
    return nlohmann::json::parse(file);
}

bool close(double ours, double theirs, double relative) { return std::abs(ours - theirs) <= relative * std::max(1e-300, std::abs(theirs)); }

}  // namespace

/// The study analysis' statistics against SciPy (fixtures from tests/fixtures/make_statistics_fixtures.py) and
/// against closed forms.
class TestStudyStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void friedmanMatchesScipy() {
        const auto cases = fixtures()["friedman"];
        QVERIFY(cases.size() >= 5);
        for (const auto& test : cases) {
            const auto result = friedmanTest(test["data"].get<std::vector<std::vector<double>>>());
            QVERIFY2(close(result.statistic, test["statistic"], 1e-10),
                     qPrintable(QString("%1 vs %2").arg(result.statistic).arg(double(test["statistic"]))));
            QVERIFY2(close(result.pValue, test["pvalue"], 1e-9),
                     qPrintable(QString("%1 vs %2").arg(result.pValue).arg(double(test["pvalue"]))));
            QCOMPARE(result.degreesOfFreedom, int(test["data"].size()) - 1);
        }
    }

    void wilcoxonMatchesScipy() {
        const auto cases = fixtures()["wilcoxon"];
        QVERIFY(cases.size() >= 6);
        int exact = 0;
        for (const auto& test : cases) {
            const auto result = wilcoxonSignedRank(test["x"].get<std::vector<double>>(), test["y"].get<std::vector<double>>());
            exact += result.exact;
            QVERIFY2(close(result.statistic, test["statistic"], 1e-12),
                     qPrintable(QString("%1 vs %2").arg(result.statistic).arg(double(test["statistic"]))));
            QVERIFY2(close(result.pValue, test["pvalue"], 1e-9), qPrintable(QString("n %1: %2 vs %3 (exact: %4)")
                                                                                .arg(result.pairs)
                                                                                .arg(result.pValue)
                                                                                .arg(double(test["pvalue"]))
                                                                                .arg(result.exact)));
        }
        QVERIFY(exact >= 2);  // both the exact distribution and the normal approximation were compared
    }

    void rankBiserialAndRanksFollowTheirDefinitions() {
        QCOMPARE(averageRanks({3.0, 1.0, 3.0, 2.0}), (std::vector<double>{3.5, 1.0, 3.5, 2.0}));
        // All differences positive: W− = 0, so r = 1; mirrored: −1.
        const std::vector<double> low{1, 2, 3, 4, 5}, high{2, 4, 6, 8, 10};
        QCOMPARE(wilcoxonSignedRank(high, low).rankBiserial, 1.0);
        QCOMPARE(wilcoxonSignedRank(low, high).rankBiserial, -1.0);
        // Exact two-sided p for n = 5, all positive: 2 · (1 / 2⁵).
        QCOMPARE(wilcoxonSignedRank(high, low).pValue, 2.0 / 32.0);
        QCOMPARE(wilcoxonSignedRank(low, low).pValue, 1.0);  // no differences at all
    }

    void holmStepsDownAndStaysMonotone() {
        // Sorted p: 0.01 (×3), 0.02 (×2 → 0.04), 0.04 (×1, but not below 0.04); in the given order.
        const auto adjusted = holmAdjust({0.04, 0.01, 0.02});
        QCOMPARE(adjusted, (std::vector<double>{0.04, 0.03, 0.04}));
        QCOMPARE(holmAdjust({0.5, 0.6}), (std::vector<double>{1.0, 1.0}));
    }

    void bootstrapIntervalsHoldTheMeanAndNarrowWithMoreData() {
        std::vector<double> few{1, 7, 3, 5, 6, 2}, many;
        for (int i = 0; i < 20; ++i) many.insert(many.end(), few.begin(), few.end());
        const auto small = summarizeRatings(few, 3);
        const auto large = summarizeRatings(many, 3);
        QCOMPARE(small.mean, 4.0);
        QCOMPARE(small.median, 4.0);
        QVERIFY(small.ciLow < small.mean && small.mean < small.ciHigh);
        QVERIFY(large.ciHigh - large.ciLow < 0.5 * (small.ciHigh - small.ciLow));
        QCOMPARE(summarizeRatings(few, 3).ciLow, small.ciLow);  // seeded: the same interval again
    }

    void badInputIsNamed() {
        sw::test::expectErrorMentioning([] { friedmanTest({{1, 2}, {2, 3}}); }, {"Friedman", "three conditions"});
        sw::test::expectErrorMentioning([] { friedmanTest({{1, 2}, {2, 3}, {1}}); }, {"one value per participant"});
        sw::test::expectErrorMentioning([] { wilcoxonSignedRank({1, 2}, {1}); }, {"paired"});
    }
};

QTEST_APPLESS_MAIN(TestStudyStatistics)
#include "TestStudyStatistics.moc"
