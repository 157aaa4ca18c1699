#include <cmath>
#include <thread>

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

/// The small shared pieces of core/util: feedback, atomic files, lists.
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

private:
    static fs::path dir() { return fs::temp_directory_path() / "sw-test-utilities"; }
};

QTEST_APPLESS_MAIN(TestUtilities)
#include "TestUtilities.moc"
