#include <c10/util/Exception.h>

#include "jobs/JobEdge.h"
#include "util/Feedback.h"
#include "util/InputError.h"
#include "TestSupport.h"

using namespace sw;

/// jobs/JobEdge: how every job's exceptions become outcomes and messages.
class TestJobEdge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theJobEdgeTurnsExceptionsIntoOutcomes() {
        auto result = runGuarded([]() -> JobResult { throw Cancelled("cancelled at step 7"); });
        QCOMPARE(int(result.outcome), int(Outcome::Cancelled));
        QCOMPARE(result.message, std::string("cancelled at step 7"));
        result = runGuarded([]() -> JobResult { throw InputError("model.swm", "not a model file"); });
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY(result.message.find("model.swm") != std::string::npos);
        result = runGuarded([]() -> JobResult {
            TORCH_CHECK(false, "shapes disagree");
            return JobResult::completed();
        });
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY(result.message.find("shapes disagree") != std::string::npos);
        QVERIFY2(result.message.find("Exception raised from") == std::string::npos, result.message.c_str());  // no backtrace
        // LibTorch's convolution error becomes a sentence; its own words follow after the details marker.
        result = runGuarded([]() -> JobResult {
            TORCH_CHECK(
                false,
                "Given groups=1, weight of size [6, 1, 5, 5], expected input[1, 3, 28, 28] to have 1 channels, but got 3 channels instead");
            return JobResult::completed();
        });
        QVERIFY2(result.message.rfind("the model expects 1 channel, the image has 3", 0) == 0, result.message.c_str());
        QVERIFY(result.message.find(std::string(kErrorDetailsMarker) + "Given groups=1") != std::string::npos);
        result = runGuarded([] { return JobResult::completed("fine"); });
        QCOMPARE(int(result.outcome), int(Outcome::Completed));
        QCOMPARE(result.message, std::string("fine"));
    }
};

QTEST_APPLESS_MAIN(TestJobEdge)
#include "TestJobEdge.moc"
