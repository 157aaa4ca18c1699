#pragma once

#include <string>

#include "distributed/LocalRanks.h"
#include "jobs/JobEdge.h"
#include "jobs/TrainJob.h"

namespace sw {

/// A training run as `processes` data-parallel ranks on this machine: the GUI's "N local processes"
/// (docs/SCALING.md). Writes the request next to the model (OUT.request.json), runs `program train
/// --request …` as each rank, passes rank 0's report windows to `observer` and every rank's state to
/// `rankObserver` (both on the calling thread), and the slowest rank's fraction to `feedback`. Cancel
/// reaches every rank: they stop together and rank 0 keeps the checkpoint that `request.resumeFrom` continues.
/// When the request records a saliency timeline, rank 0 writes it and `onSnapshot` gets each new snapshot as
/// it lands in the folder (on the calling thread), as a one-process run's observer would.
/// The result's message is rank 0's summary, or the first failed rank's error.
JobResult runTrainOnLocalRanks(const TrainRequest& request, int processes, const std::string& program, Feedback& feedback,
                               const TrainObserver& observer, const RankObserver& rankObserver, const TimelineObserver& onSnapshot = {});

/// Where a data-parallel run's request file goes: next to the model it writes.
std::string trainRequestPathFor(const TrainRequest& request);

}  // namespace sw
