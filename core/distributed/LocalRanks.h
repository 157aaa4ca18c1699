#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "train/TrainProgress.h"
#include "util/Feedback.h"

namespace sw {

/// One process of a data-parallel launch on this machine, as the launcher sees it.
struct RankState {
    enum class Phase { Starting, Training, Finished, Cancelled, Failed };
    int rank = 0;
    Phase phase = Phase::Starting;
    std::optional<TrainProgress> progress;  ///< its last report on SW_PROGRESS_FD; none before the first
    std::string exitDescription;            ///< once ended: "exited with code 1", "was killed by signal 9"
    std::string outputTail;                 ///< the end of what it printed, when the launch captures output
    int endedAs = 0;                        ///< 1 for the first rank to end, 2 for the next…; 0 while it runs
};

/// "starting", "training", "finished", "cancelled", "failed".
std::string phaseName(RankState::Phase phase);

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
/// training progress on (RankProgressReporter). Cancelling `feedback` (may be null) sends SIGINT to every
/// rank: they stop together at the next step and rank 0 keeps a checkpoint. `observer` (may be empty) sees
/// the ranks after every change, on the calling thread. Returns when all have ended: their final states.
/// Throws std::runtime_error when a process cannot be started.
std::vector<RankState> runLocalRanks(const LocalLaunchOptions& options, Feedback* feedback, const RankObserver& observer);

/// The exit code of a launch: 0 when every rank finished, else that of the first rank to end otherwise (130 for
/// a cancel).
int launchExitCode(const std::vector<RankState>& ranks);

/// A rank's side of SW_PROGRESS_FD: writes each report as one line when this process was started by
/// runLocalRanks, and nothing otherwise.
class RankProgressReporter {
public:
    RankProgressReporter();
    void report(const TrainProgress& progress) const;

private:
    int m_fd = -1;
};

/// The line format on SW_PROGRESS_FD (one definition for both ends); nullopt for a line that is not one.
std::string formatRankProgress(const TrainProgress& progress);
std::optional<TrainProgress> parseRankProgress(const std::string& line);

/// A TCP port on 127.0.0.1 nobody listens on now (the kernel's choice); 0 if none could be found.
int freeLoopbackPort();

}  // namespace sw
