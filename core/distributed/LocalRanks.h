#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "distributed/RankReports.h"
#include "util/Feedback.h"

namespace sw {

/// One process of a data-parallel launch on this machine, as the launcher sees it.
struct RankState {
    enum class Phase { Starting, Training, Finished, Cancelled, Failed };
    int rank = 0;
    Phase phase = Phase::Starting;
    std::optional<TrainProgress> progress;  ///< its last report on SW_PROGRESS_FD; none before the first
    std::optional<RankResult> result;       ///< what it said on its way out; none if it ended without saying
    std::optional<int> waitStatus;          ///< waitpid's status once it has ended and been reaped
    bool stoppedByLauncher = false;         ///< the launcher terminated it because another rank had failed
    std::string outputTail;                 ///< the end of what it printed, when the launch captures output
};

/// "starting", "training", "finished", "cancelled", "failed".
std::string phaseName(RankState::Phase phase);

/// How a rank's process ended: "exited with code 1", "was killed by signal 9"; empty while it runs.
std::string describeExit(const RankState& rank);

/// Why a rank did not finish, in one line: what it reported, else how its process ended.
std::string describeFailure(const RankState& rank);

struct LocalLaunchOptions {
    std::string program;                 ///< the saliency-cli executable
    std::vector<std::string> arguments;  ///< train … or reproduce …
    int processes = 2;
    int masterPort = 0;          ///< the rendezvous port on 127.0.0.1; 0 = one the kernel says is free
    int graceSeconds = 150;      ///< after one rank fails, how long the others may take to notice before SIGTERM
    bool captureOutput = false;  ///< keep each rank's output in RankState::outputTail instead of passing it through
};

using RankObserver = std::function<void(const std::vector<RankState>&)>;

/// Runs `program arguments` as `processes` ranks on this machine, as torchrun does: each gets RANK,
/// LOCAL_RANK, WORLD_SIZE, MASTER_ADDR=127.0.0.1 and MASTER_PORT, and SW_PROGRESS_FD, a pipe it reports its
/// progress and its result on (RankReporter). Cancelling `feedback` (may be null) sends SIGINT to every
/// rank: they stop together at the next step and rank 0 keeps a checkpoint. `observer` (may be empty) sees
/// the ranks after every change, on the calling thread. Returns when all have ended: their final states.
/// Throws std::runtime_error when a process cannot be started.
std::vector<RankState> runLocalRanks(const LocalLaunchOptions& options, const RankObserver& observer = {}, Feedback* feedback = nullptr);

/// What a launch as a whole reports, independent of the order in which its ranks happened to end.
struct LaunchVerdict {
    int exitCode = 0;          ///< 0 when every rank finished; 130 for a cancel; else the cause's own exit code
    std::optional<int> cause;  ///< the rank whose failure the launch reports
    std::string failures;      ///< every rank that did not finish, "rank 1 exited with code 1: why; rank 2 …"
};

/// The cause of a failed launch is the lowest-numbered rank that failed on its own account: not one that
/// reported losing a peer, and not one the launcher terminated after another's failure. When every failure
/// is of that second kind, the lowest-numbered failed rank. (torchrun reports the earliest failure by time,
/// which under load is a matter of chance.)
LaunchVerdict judgeLaunch(const std::vector<RankState>& ranks);

/// A TCP port on 127.0.0.1 nobody listens on now (the kernel's choice); 0 if none could be found.
int freeLoopbackPort();

}  // namespace sw
