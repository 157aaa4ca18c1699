#include "metrics/EvaluationMeasures.h"
#include "TestSupport.h"

using namespace sw;

/// metrics/EvaluationMeasures: the measure table every face reads.
class TestEvaluationMeasures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theMeasureTableValidatesChoices() {
        QCOMPARE(evaluationMeasures().size(), size_t(12));
        QCOMPARE(defaultProtocolMeasures(), (std::vector<std::string>{"accuracy", "sparseness", "ris", "ros", "ssim"}));
        QCOMPARE(evaluationMeasureIdList(true), std::string("ris, ros, ssim, topk or spearman"));
        const MeasureSet chosen({"ssim", "road"});
        QVERIFY(chosen.has("road") && !chosen.has("ris") && chosen.hasAny({"ris", "ssim"}));
        sw::test::expectErrorMentioning([] { MeasureSet({"accuracy", "faithfulness"}); }, {"--metrics faithfulness", "localisation"});
        for (const auto& measure : evaluationMeasures()) {
            QVERIFY2(!measure.explanation.empty() && !measure.axisLabel.empty(), measure.id.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestEvaluationMeasures)
#include "TestEvaluationMeasures.moc"
