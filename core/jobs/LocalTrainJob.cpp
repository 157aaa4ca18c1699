#include "jobs/LocalTrainJob.h"

#include <algorithm>
#include <sstream>
#include <thread>

#include "jobs/TrainRequestFile.h"
#include "util/InputError.h"

namespace sw {

namespace {

/// The last line of a rank's output that starts with `prefix` (without it), or empty.
std::string lastLineStartingWith(const std::string& output, const std::string& prefix) {
    std::istringstream lines(output);
    std::string line, found;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (prefix.empty() ? !line.empty() : line.rfind(prefix, 0) == 0) found = line.substr(prefix.size());
    }
    return found;
}

}  // namespace

std::string trainRequestPathFor(const TrainRequest& request) { return request.outputPath + ".request.json"; }

JobResult runTrainOnLocalRanks(const TrainRequest& request, int processes, const std::string& program, Feedback& feedback,
                               const TrainObserver& observer, const RankObserver& rankObserver) {
    return runGuarded([&]() -> JobResult {
        if (request.outputPath.empty()) throw InputError("--out", "a model file to write is required");
        if (processes < 1) throw InputError("processes", "expected 1 or more");
        if (request.recipe.batchSize % processes != 0) {
            throw InputError("batch size " + std::to_string(request.recipe.batchSize),
                             "must divide evenly over the " + std::to_string(processes) + " processes (each takes its share)");
        }
        const auto requestPath = trainRequestPathFor(request);
        TrainRequest shared = request;
        // "One thread per core" would give every rank all cores: they share them instead.
        if (shared.threads == 0) shared.threads = std::max(1, int(std::thread::hardware_concurrency()) / processes);
        writeTrainRequest(requestPath, shared);
        LocalLaunchOptions launch;
        launch.program = program;
        launch.arguments = {"train", "--request", requestPath};
        launch.processes = processes;
        launch.captureOutput = true;
        launch.graceSeconds = 30;
        int64_t lastStepSeen = -1;
        const auto ranks = runLocalRanks(launch, &feedback, [&](const std::vector<RankState>& states) {
            double slowest = 1.0;
            std::string message;
            for (const auto& rank : states) {
                const double fraction =
                    rank.progress && rank.progress->totalSteps > 0 ? double(rank.progress->step) / double(rank.progress->totalSteps) : 0.0;
                slowest = std::min(slowest, fraction);
                message += (message.empty() ? "" : " · ") + std::string("rank ") + std::to_string(rank.rank) + " " +
                           (rank.progress && rank.phase == RankState::Phase::Training ? "step " + std::to_string(rank.progress->step)
                                                                                      : phaseName(rank.phase));
            }
            feedback.setProgress(slowest, message);
            const auto& leader = states.front();
            if (observer && leader.progress && leader.progress->step != lastStepSeen) {
                lastStepSeen = leader.progress->step;
                observer(*leader.progress);
            }
            if (rankObserver) rankObserver(states);
        });
        const auto& leader = ranks.front();
        if (launchExitCode(ranks) == 0) {
            // Rank 0's report: "OUT: badge, test accuracy … (steps, seconds)", then the robust accuracy if measured.
            auto summary = lastLineStartingWith(leader.outputTail, request.outputPath + ": ");
            if (const auto robust = lastLineStartingWith(leader.outputTail, "robust accuracy "); !robust.empty())
                summary += ", robust accuracy " + robust;
            return JobResult::completed(summary);
        }
        // The user's cancel: however each rank ended, the run was stopped on purpose.
        if (feedback.isCancelled()) {
            const auto why = lastLineStartingWith(leader.outputTail, "Cancelled: ");
            return JobResult::cancelled(why.empty() ? "cancelled" : why);
        }
        // Otherwise the first rank to end without finishing says why (the others only report losing it).
        const RankState* first = nullptr;
        for (const auto& rank : ranks) {
            if (rank.phase != RankState::Phase::Finished && (!first || rank.endedAs < first->endedAs)) first = &rank;
        }
        if (first) {
            auto why = lastLineStartingWith(first->outputTail, "Error: ");
            if (why.empty()) why = lastLineStartingWith(first->outputTail, "Cancelled: ");
            if (why.empty()) why = first->exitDescription;
            return JobResult::failed("rank " + std::to_string(first->rank) + " of " + std::to_string(processes) + ": " + why);
        }
        return JobResult::failed("the data-parallel run ended without a result");
    });
}

}  // namespace sw
