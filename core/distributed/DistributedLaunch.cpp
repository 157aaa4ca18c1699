#include "distributed/DistributedLaunch.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "util/InputError.h"

namespace sw {

namespace {

/// The variable's value, or empty when it is unset.
std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

int integerVariable(const char* name, const std::string& value) {
    try {
        size_t used = 0;
        const int parsed = std::stoi(value, &used);
        if (used == value.size()) return parsed;
    } catch (const std::exception&) {}
    throw InputError(std::string(name) + "=" + value, "expected a whole number");
}

}  // namespace

DistributedLaunch DistributedLaunch::fromEnvironment() {
    DistributedLaunch launch;
    // torchrun's variables first; Slurm's when a job step starts the processes itself (srun).
    const bool torchrun = !environment("WORLD_SIZE").empty();
    const bool slurm = !torchrun && !environment("SLURM_NTASKS").empty() && !environment("SLURM_PROCID").empty();
    if (!torchrun && !slurm) return launch;
    const char* worldName = torchrun ? "WORLD_SIZE" : "SLURM_NTASKS";
    const char* rankName = torchrun ? "RANK" : "SLURM_PROCID";
    const char* localName = torchrun ? "LOCAL_RANK" : "SLURM_LOCALID";
    launch.worldSize = integerVariable(worldName, environment(worldName));
    if (launch.worldSize < 1) throw InputError(std::string(worldName) + "=" + environment(worldName), "expected 1 or more processes");
    const std::string rank = environment(rankName);
    if (rank.empty() && launch.worldSize > 1) throw InputError(rankName, "is not set, but " + std::string(worldName) + " is");
    launch.rank = rank.empty() ? 0 : integerVariable(rankName, rank);
    if (launch.rank < 0 || launch.rank >= launch.worldSize) {
        throw InputError(std::string(rankName) + "=" + rank, "expected 0 to " + std::to_string(launch.worldSize - 1) + " (" + worldName +
                                                                 " is " + std::to_string(launch.worldSize) + ")");
    }
    const std::string local = environment(localName);
    launch.localRank = local.empty() ? launch.rank : integerVariable(localName, local);
    if (!launch.isDistributed()) return launch;
    launch.masterAddress = environment("MASTER_ADDR");
    if (launch.masterAddress.empty()) {
        throw InputError("MASTER_ADDR",
                         "is not set: the ranks meet at MASTER_ADDR:MASTER_PORT (rank 0's host; use saliency-cli "
                         "launch on one machine, or set both in the job script)");
    }
    const std::string port = environment("MASTER_PORT");
    if (port.empty()) throw InputError("MASTER_PORT", "is not set: the ranks meet at MASTER_ADDR:MASTER_PORT");
    launch.masterPort = integerVariable("MASTER_PORT", port);
    if (launch.masterPort < 1 || launch.masterPort > 65535) throw InputError("MASTER_PORT=" + port, "expected a port from 1 to 65535");
    return launch;
}

std::string DistributedLaunch::deviceForRank(const std::string& device) const {
    if (!isDistributed() || device.find(':') != std::string::npos) return device;
    const bool gpu = device == "cuda" || (device == "auto" && torch::cuda::is_available());
    if (!gpu) return device;
    const auto gpus = std::max<int64_t>(1, int64_t(torch::cuda::device_count()));
    return "cuda:" + std::to_string(localRank % gpus);
}

std::string chooseBackend(const std::string& requested, bool everyRankOnItsOwnGpu, bool haveNccl) {
    if (requested == "auto") return everyRankOnItsOwnGpu && haveNccl ? "nccl" : "gloo";
    return requested;
}

}  // namespace sw
