#include <algorithm>
#include <fstream>

#include "distributed/LocalRanks.h"
#include "jobs/LocalTrainJob.h"
#include "jobs/TrainRequestFile.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

/// The local launcher (processes, their environment, progress pipe, output, exit codes and cancel), with a
/// shell script standing in for saliency-cli; and the request file that carries a GUI run to its ranks.
class TestLocalRanks : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }

    static LocalLaunchOptions shell(const std::string& script, int processes = 2) {
        LocalLaunchOptions options;
        options.program = "/bin/sh";
        options.arguments = {"-c", script};
        options.processes = processes;
        options.captureOutput = true;
        options.graceSeconds = 5;
        return options;
    }

    /// Cancels once every rank has reported progress, i.e. has started its script: no timing involved.
    static void cancelOnceAllReport(Feedback& feedback, const std::vector<RankState>& states) {
        for (const auto& rank : states) {
            if (rank.phase != RankState::Phase::Training) return;
        }
        feedback.cancel();
    }

private Q_SLOTS:
    void progressLinesRoundTrip() {
        TrainProgress p;
        p.step = 40;
        p.totalSteps = 120;
        p.epoch = 2;
        p.loss = 0.123456789;
        p.accuracy = 0.875;
        p.examplesPerSecond = 1234.5;
        p.elapsedSeconds = 9.25;
        const auto back = parseRankProgress(formatRankProgress(p));
        QVERIFY(back.has_value());
        QCOMPARE(back->step, p.step);
        QCOMPARE(back->totalSteps, p.totalSteps);
        QCOMPARE(back->epoch, p.epoch);
        QCOMPARE(back->loss, p.loss);
        QCOMPARE(back->accuracy, p.accuracy);
        QCOMPARE(back->examplesPerSecond, p.examplesPerSecond);
        QCOMPARE(back->elapsedSeconds, p.elapsedSeconds);
        QVERIFY(!parseRankProgress("step 40/120").has_value());
        QVERIFY(!parseRankProgress("sw-progress 40 120").has_value());
    }

    void resultLinesRoundTrip() {
        for (const auto kind :
             {RankResult::Kind::Completed, RankResult::Kind::Cancelled, RankResult::Kind::Failed, RankResult::Kind::PeerLost}) {
            const RankResult result{kind, "first line\n\nDetails: a \\ b\r\nend"};
            const auto line = formatRankResult(result);
            QCOMPARE(std::count(line.begin(), line.end(), '\n'), std::ptrdiff_t(1));  // one line on the pipe
            const auto back = parseRankResult(line.substr(0, line.size() - 1));
            QVERIFY(back.has_value());
            QCOMPARE(int(back->kind), int(kind));
            QCOMPARE(back->message, result.message);
        }
        QVERIFY(!parseRankResult("sw-result exploded why").has_value());
        QVERIFY(!parseRankResult("sw-progress 1 2 0 0 0 0 0").has_value());
        QVERIFY(!parseRankProgress("sw-result failed why").has_value());
    }

    void ranksGetTheTorchrunEnvironmentAndReportBack() {
        // Each rank prints its environment, reports progress on fd 3 and exits with its rank number.
        const auto ranks =
            runLocalRanks(shell("echo \"$RANK $LOCAL_RANK $WORLD_SIZE $MASTER_ADDR $MASTER_PORT $SW_PROGRESS_FD\"; "
                                "printf 'sw-progress %s 10 0 0.5 0.25 100 1\\n' $((RANK + 4)) >&3; exit $RANK",
                                3));
        QCOMPARE(ranks.size(), size_t(3));
        std::string port;
        for (const auto& rank : ranks) {
            const auto fields = QString::fromStdString(rank.outputTail).trimmed().split(' ');
            QCOMPARE(fields.size(), 6);
            QCOMPARE(fields[0].toInt(), rank.rank);
            QCOMPARE(fields[1].toInt(), rank.rank);
            QCOMPARE(fields[2], QString("3"));
            QCOMPARE(fields[3], QString("127.0.0.1"));
            QVERIFY(fields[4].toInt() > 0);
            if (port.empty()) port = fields[4].toStdString();
            QCOMPARE(fields[4].toStdString(), port);  // one rendezvous for all
            QVERIFY(rank.progress.has_value());
            QCOMPARE(rank.progress->step, int64_t(rank.rank + 4));
        }
        QCOMPARE(ranks[0].phase, RankState::Phase::Finished);
        QCOMPARE(ranks[1].phase, RankState::Phase::Failed);
        QCOMPARE(describeExit(ranks[1]), std::string("exited with code 1"));
        // Ranks 1 and 2 both fail, at about the same moment: the launch reports the lower one and lists both.
        const auto verdict = judgeLaunch(ranks);
        QCOMPARE(verdict.cause, std::optional<int>(1));
        QCOMPARE(verdict.exitCode, 1);
        QCOMPARE(verdict.failures, std::string("rank 1 exited with code 1; rank 2 exited with code 2"));
    }

    /// The script of a rank that ends only after rank `other` has ended and been reaped by the launcher (it
    /// waits for that event, not for a time), then does `then`; `other` leaves its process id in the folder.
    std::string afterRank(int other, const std::string& then) const {
        const auto pidFile = (dir() / ("rank-" + std::to_string(other) + ".pid")).string();
        return "if [ $RANK = " + std::to_string(other) + " ]; then echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile +
               "; else until [ -s " + pidFile + " ]; do sleep 0.01; done; while [ -e /proc/$(cat " + pidFile +
               ") ]; do sleep 0.01; done; fi; " + then;
    }

    /// The order in which the ranks were seen to end.
    static RankObserver recordEndings(std::vector<int>& order) {
        return [&order](const std::vector<RankState>& states) {
            for (const auto& rank : states) {
                const bool ended = rank.waitStatus.has_value();
                if (ended && std::find(order.begin(), order.end(), rank.rank) == order.end()) order.push_back(rank.rank);
            }
        };
    }

    void theVerdictDoesNotDependOnWhichRankEndsFirst() {
        // Ranks 1 and 2 fail with codes 1 and 2, once with rank 1 forced to end first and once with rank 2 first.
        for (const int first : {1, 2}) {
            const int second = 3 - first;
            std::vector<int> order;
            const auto script = afterRank(first, "if [ $RANK = 0 ]; then exit 0; fi; exit $RANK");
            const auto ranks = runLocalRanks(shell("[ $RANK = 0 ] && exit 0; " + script, 3), recordEndings(order));
            fs::remove(dir() / ("rank-" + std::to_string(first) + ".pid"));
            const auto firstAt = std::find(order.begin(), order.end(), first), secondAt = std::find(order.begin(), order.end(), second);
            QVERIFY2(firstAt < secondAt, ("forced order not kept for rank " + std::to_string(first)).c_str());
            const auto verdict = judgeLaunch(ranks);
            QCOMPARE(verdict.cause, std::optional<int>(1));
            QCOMPARE(verdict.exitCode, 1);
        }
    }

    void aRankThatLostItsPeerDoesNotHideTheCause() {
        // Rank 0 reports losing its peer (as a data-parallel rank does), rank 1 its own failure: rank 1 is the
        // cause, whichever ends first, although rank 0 has the lower number.
        for (const int first : {0, 1}) {
            const auto ranks = runLocalRanks(
                shell(afterRank(first,
                                "if [ $RANK = 0 ]; then printf 'sw-result peer-lost lost rank 1 (its process ended)\\n' >&3; exit 1; "
                                "fi; printf 'sw-result failed out of memory\\\\n\\\\nDetails: CUDA\\n' >&3; exit 3")));
            fs::remove(dir() / ("rank-" + std::to_string(first) + ".pid"));
            QVERIFY(ranks[0].result && ranks[0].result->kind == RankResult::Kind::PeerLost);
            const auto verdict = judgeLaunch(ranks);
            QCOMPARE(verdict.cause, std::optional<int>(1));
            QCOMPARE(verdict.exitCode, 3);
            QCOMPARE(describeFailure(ranks[1]), std::string("out of memory"));
            QCOMPARE(verdict.failures,
                     std::string("rank 0 exited with code 1: lost rank 1 (its process ended); rank 1 exited with code 3: out of memory"));
        }
    }

    void cancelInterruptsEveryRank() {
        // Cancelled once every rank has reported (so each has set its trap): no timing involved.
        Feedback feedback;
        std::vector<std::vector<RankState>> seen;
        const auto ranks = runLocalRanks(
            shell("trap 'echo \"Cancelled: at step 7\"; printf \"sw-result cancelled at step 7\\n\" >&3; exit 130' INT; "
                  "printf 'sw-progress 1 10 0 0 0 0 0\\n' >&3; while true; do sleep 0.05; done"),
            [&](const std::vector<RankState>& states) {
                seen.push_back(states);
                cancelOnceAllReport(feedback, states);
            },
            &feedback);
        for (const auto& rank : ranks) {
            QCOMPARE(rank.phase, RankState::Phase::Cancelled);
            QVERIFY2(rank.outputTail.find("Cancelled: at step 7") != std::string::npos, rank.outputTail.c_str());
            QVERIFY(rank.result && rank.result->message == "at step 7");
        }
        QCOMPARE(judgeLaunch(ranks).exitCode, 130);
        QVERIFY(!seen.empty() && seen.front()[0].phase == RankState::Phase::Starting);
    }

    void aRankThatHangsAfterAnotherFailedIsTerminated() {
        auto options = shell("if [ $RANK = 1 ]; then exit 3; fi; while true; do sleep 0.05; done");
        options.graceSeconds = 1;
        const auto ranks = runLocalRanks(options);
        QCOMPARE(describeExit(ranks[1]), std::string("exited with code 3"));
        QCOMPARE(describeExit(ranks[0]), std::string("was killed by signal 15"));
        QVERIFY(ranks[0].stoppedByLauncher && !ranks[1].stoppedByLauncher);
        // The rank that failed, not the lower-numbered one terminated for it.
        QCOMPARE(judgeLaunch(ranks).cause, std::optional<int>(1));
        QCOMPARE(judgeLaunch(ranks).exitCode, 3);
    }

    void aCancelBeforeARankListensStillCountsAsACancel() {
        // No trap: SIGINT ends the shell by the signal, as it ends a rank that has not set up its handler yet.
        Feedback feedback;
        const auto ranks = runLocalRanks(
            shell("printf 'sw-progress 1 10 0 0 0 0 0\\n' >&3; while true; do sleep 0.05; done"),
            [&](const std::vector<RankState>& states) { cancelOnceAllReport(feedback, states); }, &feedback);
        for (const auto& rank : ranks) {
            QCOMPARE(rank.phase, RankState::Phase::Cancelled);
            QCOMPARE(describeExit(rank), std::string("was killed by signal 2"));
        }
    }

    void aRankThatIgnoresSigtermIsKilled() {
        auto options = shell("if [ $RANK = 1 ]; then exit 4; fi; trap '' TERM; while true; do sleep 0.05; done");
        options.graceSeconds = 1;
        const auto ranks = runLocalRanks(options);
        QCOMPARE(describeExit(ranks[0]), std::string("was killed by signal 9"));
        QCOMPARE(judgeLaunch(ranks).exitCode, 4);
    }

    void aProgramThatCannotStartIsReported() {
        auto options = shell("true");
        options.program = (dir() / "no-such-program").string();
        sw::test::expectErrorMentioning([&] { runLocalRanks(options); }, {"no-such-program", "cannot start rank 0"});
    }

    void requestFilesRoundTrip() {
        TrainRequest request;
        request.datasetSpec = "shapes:256:4";
        request.arch = "wrn-16-2";
        request.recipe.optimizer = "sgd";
        request.recipe.learningRate = 0.05;
        request.recipe.milestones = {10, 20};
        request.recipe.batchSize = 48;
        request.recipe.seed = 77;
        request.recipe.adversarial.kind = "trades";
        request.recipe.adversarial.epsilon = 0.03;
        request.recipe.adversarial.steps = 5;
        request.smoothing.push_back({"median", "layer1", 5, 1.5});
        request.smoothing.push_back({"gaussian", "stem", 3, std::nullopt});
        request.normalization = "none";
        request.device = "cuda:1";
        request.threads = 3;
        request.precision = Precision::BF16;
        request.outputPath = (dir() / "run.swm").string();
        request.checkpointPath = (dir() / "run.ckpt").string();
        request.checkpointEverySteps = 17;
        request.resumeFrom = (dir() / "old.ckpt").string();
        request.logCsvPath = (dir() / "log.csv").string();
        request.evalLimit = 300;
        request.evalRobust = true;
        request.trainLimit = 999;
        const auto path = trainRequestPathFor(request);
        QCOMPARE(path, request.outputPath + ".request.json");
        writeTrainRequest(path, request);
        const auto back = readTrainRequest(path);
        QCOMPARE(trainRequestToJson(back), trainRequestToJson(request));
        QCOMPARE(back.recipe.toJson(), request.recipe.toJson());
        QCOMPARE(back.smoothing.size(), size_t(2));
        QCOMPARE(*back.smoothing[0].sigma, 1.5);
        QVERIFY(!back.smoothing[1].sigma);
        QCOMPARE(back.trainLimit, int64_t(999));
        QCOMPARE(back.device, std::string("cuda:1"));
        QCOMPARE(int(back.precision), int(Precision::BF16));
        // A request written before there was a precision says bf16 the old way.
        auto older = trainRequestToJson(request);
        older.erase("precision");
        older["mixed_precision"] = "bf16";
        QCOMPARE(int(trainRequestFromJson(older, "old.json").precision), int(Precision::BF16));
        older["precision"] = "fp8";
        sw::test::expectErrorMentioning([&] { trainRequestFromJson(older, "old.json"); }, {"old.json", "fp8"});
    }

    void badRequestFilesAreNamed() {
        const auto write = [&](const std::string& name, const std::string& text) {
            std::ofstream(dir() / name) << text;
            return (dir() / name).string();
        };
        const auto notJson = write("a.json", "{\"format\": ");
        sw::test::expectErrorMentioning([&] { readTrainRequest(notJson); }, {notJson, "not valid JSON"});
        const auto model = write("b.json", "{\"format\": \"saliency-workbench-model\"}");
        sw::test::expectErrorMentioning([&] { readTrainRequest(model); }, {model, "not a training request"});
        const auto noOutput = write("c.json", "{\"format\": \"saliency-workbench-train-request\"}");
        sw::test::expectErrorMentioning([&] { readTrainRequest(noOutput); }, {noOutput, "\"output\""});
        const auto badType = write("d.json", "{\"format\": \"saliency-workbench-train-request\", \"output\": \"x\", \"threads\": \"two\"}");
        sw::test::expectErrorMentioning([&] { readTrainRequest(badType); }, {badType, "bad training request"});
        sw::test::expectErrorMentioning([&] { readTrainRequest((dir() / "missing.json").string()); }, {"missing.json", "cannot open"});
    }

    void aBatchThatDoesNotDivideIsRefusedBeforeAnythingStarts() {
        TrainRequest request;
        request.recipe.batchSize = 33;
        request.outputPath = (dir() / "odd.swm").string();
        Feedback feedback;
        const auto result = runTrainOnLocalRanks(request, 2, "/bin/false", feedback, {}, {});
        QCOMPARE(result.outcome, Outcome::Failed);
        QVERIFY2(result.message.find("batch size 33") != std::string::npos, result.message.c_str());
        QVERIFY(!fs::exists(trainRequestPathFor(request)));
    }
};

QTEST_GUILESS_MAIN(TestLocalRanks)
#include "TestLocalRanks.moc"
