#include "jobs/LocalTrainJob.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "jobs/TrainRequestFile.h"
#include "timeline/TimelineFollower.h"
#include "util/InputError.h"

namespace sw {

std::string trainRequestPathFor(const TrainRequest& request) { return request.outputPath + ".request.json"; }

JobResult runTrainOnLocalRanks(const TrainRequest& request, int processes, const std::string& program, Feedback& feedback,
                               const TrainObserver& observer, const RankObserver& rankObserver, const TimelineObserver& onSnapshot) {
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
        // Rank 0 records in its own process: its snapshots reach a live view through the folder.
        std::optional<TimelineFollower> timeline;
        if (request.timeline.enabled && onSnapshot) timeline.emplace(TimelineFolder::besideModel(request.outputPath), onSnapshot);
        const auto ranks = runLocalRanks(
            launch,
            [&](const std::vector<RankState>& states) {
                double slowest = 1.0;
                std::string message;
                for (const auto& rank : states) {
                    const double fraction = rank.progress && rank.progress->totalSteps > 0
                                                ? double(rank.progress->step) / double(rank.progress->totalSteps)
                                                : 0.0;
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
                if (timeline) timeline->poll();
            },
            &feedback);
        if (timeline) timeline->poll();  // the last snapshot, written as rank 0 finished
        // Each rank's result record says how it ended; rank 0's carries the run's summary.
        const auto& leader = ranks.front();
        const auto verdict = judgeLaunch(ranks);
        if (verdict.exitCode == 0) return JobResult::completed(leader.result ? leader.result->message : std::string());
        // The user's cancel: however each rank ended, the run was stopped on purpose.
        if (feedback.isCancelled()) {
            const bool said = leader.result && leader.result->kind == RankResult::Kind::Cancelled && !leader.result->message.empty();
            return JobResult::cancelled(said ? leader.result->message : "cancelled");
        }
        if (!verdict.cause) return JobResult::failed("the data-parallel run was stopped");
        const auto& cause = ranks[size_t(*verdict.cause)];
        return JobResult::failed("rank " + std::to_string(cause.rank) + " of " + std::to_string(processes) + ": " + describeFailure(cause));
    });
}

}  // namespace sw
