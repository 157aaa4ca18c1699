#include <cmath>
#include <thread>

#include <c10/util/Exception.h>

#include "explain/SaliencyMethods.h"
#include "io/CurvesCsv.h"
#include "jobs/JobEdge.h"
#include "metrics/EvaluationMeasures.h"
#include "util/AtomicFile.h"
#include "util/Feedback.h"
#include "util/ListParsing.h"
#include "util/InputError.h"
#include "TestSupport.h"

using namespace sw;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& path) {
    std::ifstream file(path);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

/// Files in `folder` whose name contains ".tmp-" (what the atomic writers leave behind when they fail).
int temporaryLeftovers(const fs::path& folder) {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(folder)) count += entry.path().filename().string().find(".tmp-") != std::string::npos;
    return count;
}

}  // namespace

/// The small shared pieces of core/util, the job edge, and the tables every face reads.
class TestUtilities : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        fs::remove_all(dir());
        fs::create_directories(dir());
    }

    void feedbackFiltersRepeatsAndCancelsFromAnotherThread() {
        std::vector<double> seen;
        Feedback feedback([&](double fraction, const std::string&) { seen.push_back(fraction); });
        feedback.setProgress(0.5);
        feedback.setProgress(0.5002);  // under 0.1 %: dropped
        feedback.setProgress(0.6, "next");
        feedback.setProgress(7.0);  // clamped to 1
        QCOMPARE(seen, (std::vector<double>{0.5, 0.6, 1.0}));
        QCOMPARE(feedback.progress(), 1.0);
        QVERIFY(!feedback.isCancelled());
        std::thread([&] { feedback.cancel(); }).join();
        QVERIFY(feedback.isCancelled());
        QVERIFY_THROWS_EXCEPTION(Cancelled, throwIfCancelled(&feedback));
        throwIfCancelled(nullptr);  // no feedback: never cancelled
        reportProgress(nullptr, 0.5);
    }

    void stageFeedbackFillsItsShareOfTheParent() {
        std::vector<std::pair<double, std::string>> seen;
        Feedback parent([&](double fraction, const std::string& message) { seen.emplace_back(fraction, message); });
        StageFeedback stage(&parent, 0.25, 0.5, "train natural");
        stage.setProgress(0.0, "step 1");
        stage.setProgress(1.0);
        QCOMPARE(seen.size(), size_t(2));
        QCOMPARE(seen[0].first, 0.25);
        QCOMPARE(seen[0].second, std::string("train natural: step 1"));
        QCOMPARE(seen[1].first, 0.75);
        QCOMPARE(seen[1].second, std::string("train natural"));
        QVERIFY(!stage.isCancelled());
        parent.cancel();
        QVERIFY(stage.isCancelled());  // the parent's cancel reaches the stage
        StageFeedback detached(nullptr, 0.0, 1.0);
        detached.setProgress(0.5);  // reports nowhere, and does not crash
    }

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

    void atomicFilesAreAllOrNothing() {
        const auto target = dir() / "result.txt";
        writeTextFileAtomically(target, "first");
        QCOMPARE(readText(target), std::string("first"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically(target, [](const fs::path& temporary) {
                                     std::ofstream(temporary) << "half";
                                     throw std::runtime_error("disk full");
                                 }));
        QCOMPARE(readText(target), std::string("first"));  // untouched
        QCOMPARE(temporaryLeftovers(dir()), 0);
    }

    void atomicFoldersAreAllOrNothing() {
        const auto folder = dir() / "out";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFolderAtomically(folder, [](const fs::path& temporary) {
                                     writeTextFileAtomically(temporary / "a.txt", "a");
                                     throw std::runtime_error("the second file failed");
                                 }));
        QVERIFY(!fs::exists(folder));
        QCOMPARE(temporaryLeftovers(dir()), 0);

        writeFolderAtomically(folder, [](const fs::path& temporary) { writeTextFileAtomically(temporary / "a.txt", "a"); });
        QCOMPARE(readText(folder / "a.txt"), std::string("a"));
        writeTextFileAtomically(folder / "notes.txt", "the user's");
        writeFolderAtomically(folder, [](const fs::path& temporary) { writeTextFileAtomically(temporary / "a.txt", "new"); });
        QCOMPARE(readText(folder / "a.txt"), std::string("new"));
        QCOMPARE(readText(folder / "notes.txt"), std::string("the user's"));  // other files are kept
        QCOMPARE(temporaryLeftovers(dir()), 0);
    }

    void listsParseAndNameBadOnes() {
        QCOMPARE(parseIndexList("0-2,5"), (std::vector<int64_t>{0, 1, 2, 5}));
        QCOMPARE(parseIndexList("7"), (std::vector<int64_t>{7}));
        sw::test::expectErrorMentioning([] { parseIndexList("3-1"); }, {"--indices 3-1", "empty index range"});
        sw::test::expectErrorMentioning([] { parseIndexList("two"); }, {"--indices two"});
        sw::test::expectErrorMentioning([] { parseIndexList(""); }, {"--indices"});
        QCOMPARE(splitCommaList("ssim,,topk,"), (std::vector<std::string>{"ssim", "topk"}));
        QCOMPARE(joinCommaList({"ssim", "topk"}), std::string("ssim,topk"));
        QCOMPARE(joinCommaList({}), std::string());
        // RFC 4180: quoted only when needed, quotes doubled.
        QCOMPARE(csvField("T-shirt/top"), std::string("T-shirt/top"));
        QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
        QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField("two\nlines"), std::string("\"two\nlines\""));
    }

    void curvesCsvRoundTripsWithOneHeader() {
        const auto path = (dir() / "curves.csv").string();
        const std::vector<CurveRow> rows = {{"natural", "vg", "ssim", 0.01, 0.93, 0.9, 0.95, 180},
                                            {"adv", "ig", "ssim", 0.2, std::nan(""), std::nan(""), std::nan(""), 0}};
        writeCurvesCsv(path, rows);
        QCOMPARE(readText(path).substr(0, readText(path).find('\n')), std::string(kCurvesCsvHeader));
        const auto back = readCurvesCsv(path);
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(back[0].model, std::string("natural"));
        QCOMPARE(back[0].noiseSigma, 0.01);
        QCOMPARE(back[0].ciHigh, 0.95);
        QCOMPARE(back[0].n, int64_t(180));
        QVERIFY(std::isnan(back[1].mean));
        writeTextFileAtomically(path, "model,sigma\nx,1\n");
        sw::test::expectErrorMentioning([&] { readCurvesCsv(path); }, {path, "not a curves file"});
        writeTextFileAtomically(path, std::string(kCurvesCsvHeader) + "\nnatural,vg,ssim,0.1,high,0,1,3\n");
        sw::test::expectErrorMentioning([&] { readCurvesCsv(path); }, {path + ":2", "8 fields"});
    }

    void theMethodTableDescribesWhatIsComputed() {
        QCOMPARE(saliencyMethods().size(), size_t(5));
        QCOMPARE(saliencyMethodIdList(), std::string("vg, ig, sg, gxi or vargrad"));
        sw::test::expectErrorMentioning([] { saliencyMethod("lime"); }, {"--method lime", "vg, ig, sg, gxi or vargrad"});
        SaliencyConfig config;
        config.method = "ig";
        QCOMPARE(describeSaliencyMethod(config), std::string("Integrated Gradients: 50 Gauss–Legendre steps from a black baseline"));
        config.igSteps = 16;
        QVERIFY(describeSaliencyMethod(config).find("16 Gauss") != std::string::npos);
        config.method = "sg";
        config.sgSamples = 10;
        config.sgSigma = 0.3;
        QCOMPARE(describeSaliencyMethod(config), std::string("SmoothGrad: mean of 10 noisy gradients, noise N(0, 0.3²) in pixel units"));
        QCOMPARE(config.displayName(), std::string("SmoothGrad"));
        // The JSON records exactly the table's parameters of each method.
        const auto json = config.toJson();
        QVERIFY(json.contains("sg_samples") && json.contains("sg_sigma") && json.contains("seed") && !json.contains("ig_steps"));
        config.method = "gxi";
        QVERIFY(!config.toJson().contains("absolute"));
    }

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

private:
    static fs::path dir() { return fs::temp_directory_path() / "sw-test-utilities"; }
};

QTEST_APPLESS_MAIN(TestUtilities)
#include "TestUtilities.moc"
