#pragma once

#include <chrono>
#include <string>

namespace sw {

/// How this process was launched (docs/SCALING.md): as one of WORLD_SIZE ranks the way PyTorch launches jobs
/// — torchrun's RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT; Slurm's SLURM_PROCID, SLURM_NTASKS,
/// SLURM_LOCALID (with MASTER_ADDR and MASTER_PORT set in the batch script) — or alone.
struct DistributedLaunch {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddress;
    int masterPort = 0;
    std::string backend = "auto";       ///< auto, gloo or nccl (chooseBackend)
    std::chrono::seconds timeout{120};  ///< a collective that waits this long names the ranks it lost

    bool isDistributed() const { return worldSize > 1; }
    bool isLeader() const { return rank == 0; }

    /// Reads the environment; throws InputError naming the variable for a bad value (WORLD_SIZE=0, a RANK not
    /// below WORLD_SIZE, a missing MASTER_ADDR or MASTER_PORT when there are several ranks, a port out of range).
    static DistributedLaunch fromEnvironment();

    /// The device this rank computes on: with several ranks, "cuda" (or "auto" on a machine with GPUs) means
    /// the GPU numbered LOCAL_RANK (modulo the GPUs visible), one GPU per rank; an explicit "cuda:N" or "cpu"
    /// is kept.
    std::string deviceForRank(const std::string& device) const;
};

/// The c10d backend the ranks use for `requested` (auto, gloo or nccl): auto means NCCL when every rank has a GPU
/// of its own (ranks sharing one cannot use NCCL) and every build has NCCL, Gloo otherwise. All must choose alike.
std::string chooseBackend(const std::string& requested, bool everyRankOnItsOwnGpu, bool haveNccl);

/// Whether this build can run data-parallel (LibTorch 2.x with c10d and Gloo); and if not, why.
bool dataParallelAvailable(std::string* why = nullptr);
/// Whether this build has NCCL's process group (GPU ranks); and if not, why. `--dist-backend auto` picks it
/// when every rank computes on a GPU.
bool ncclAvailable(std::string* why = nullptr);

}  // namespace sw
