#include <map>
#include <set>

#include "study/TrialOrder.h"
#include "TestSupport.h"

using namespace sw;

/// Counterbalancing as a study needs it: Williams squares balance positions and carry-over, every
/// participant sees every image under every condition once, never the same image twice in a row, and a
/// block of participants sees every condition at every position equally often.
class TestTrialOrder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void williamsSquaresBalancePositionsAndCarryOver() {
        for (int n = 1; n <= 7; ++n) {
            const auto square = balancedLatinSquare(n);
            QCOMPARE(int(square.size()), n % 2 == 0 || n == 1 ? n : 2 * n);
            std::map<std::pair<int, int>, int> follows;
            for (const auto& row : square) {
                QCOMPARE(std::set<int>(row.begin(), row.end()).size(), size_t(n));  // each row a permutation
                for (size_t k = 1; k < row.size(); ++k) ++follows[{row[k - 1], row[k]}];
            }
            // Every condition at every position equally often (once per n rows).
            for (int position = 0; position < n; ++position) {
                std::map<int, int> counts;
                for (const auto& row : square) ++counts[row[size_t(position)]];
                for (int condition = 0; condition < n; ++condition) QCOMPARE(counts[condition], int(square.size()) / n);
            }
            // Every ordered pair of different conditions is adjacent equally often (first-order carry-over).
            if (n > 1) {
                const int expected = int(square.size()) * (n - 1) / (n * (n - 1));
                QCOMPARE(int(follows.size()), n * (n - 1));
                for (const auto& [pair, count] : follows) QCOMPARE(count, expected);
            }
        }
        sw::test::expectErrorMentioning([] { balancedLatinSquare(0); }, {"at least one condition"});
    }

    void everyImageMeetsEveryConditionOnceAndNeverTwiceInARow() {
        for (const auto& [images, conditions] : std::vector<std::pair<int, int>>{{12, 6}, {5, 3}, {2, 4}, {1, 2}}) {
            TrialOrderOptions options{images, conditions, 42, 0};
            for (int participant = 0; participant < 9; ++participant) {
                const auto trials = participantTrials(options, participant);
                QCOMPARE(int(trials.size()), images * conditions);
                std::set<std::pair<int, int>> seen;
                for (size_t t = 0; t < trials.size(); ++t) {
                    seen.insert({trials[t].image, trials[t].condition});
                    if (t > 0 && images > 1) QVERIFY2(trials[t].image != trials[t - 1].image, "an image shown twice in a row");
                }
                QCOMPARE(int(seen.size()), images * conditions);
            }
        }
    }

    void aBlockOfParticipantsSeesEveryConditionAtEveryPosition() {
        for (const int conditions : {3, 4, 6}) {
            TrialOrderOptions options{10, conditions, 7, 0};
            const int block = int(balancedLatinSquare(conditions).size());
            for (int first : {0, block}) {  // the first block and the second
                std::vector<std::map<int, int>> atPosition(size_t(10 * conditions));
                for (int participant = first; participant < first + block; ++participant) {
                    const auto trials = participantTrials(options, participant);
                    for (size_t t = 0; t < trials.size(); ++t) ++atPosition[t][trials[t].condition];
                }
                for (const auto& counts : atPosition) {
                    QCOMPARE(int(counts.size()), conditions);
                    for (const auto& [condition, count] : counts) QCOMPARE(count, block / conditions);
                }
            }
        }
    }

    void ordersAreReproducibleAndDifferBetweenBlocksAndSeeds() {
        TrialOrderOptions options{12, 6, 3, 0};
        QVERIFY(participantTrials(options, 4) == participantTrials(options, 4));
        QVERIFY(participantTrials(options, 0) != participantTrials(options, 6));  // block 2 draws new image orders
        TrialOrderOptions other = options;
        other.seed = 4;
        QVERIFY(participantTrials(options, 0) != participantTrials(other, 0));
        // The generator is specified exactly (SplitMix64), so a known seed gives a known draw everywhere.
        uint64_t state = 0;
        std::vector<int> items{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        portableShuffle(items, state);
        std::vector<int> again{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        uint64_t same = 0;
        portableShuffle(again, same);
        QCOMPARE(items, again);
        QVERIFY(items != (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }

    void attentionChecksComeEveryNTrials() {
        TrialOrderOptions options{6, 3, 1, 5};
        const auto trials = participantTrials(options, 2);
        QCOMPARE(int(trials.size()), 18 + 18 / 5);
        int regular = 0;
        for (const auto& trial : trials) {
            if (trial.attentionCheck) {
                QCOMPARE(regular % 5, 0);
                QVERIFY(regular > 0);
            } else {
                ++regular;
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestTrialOrder)
#include "TestTrialOrder.moc"
