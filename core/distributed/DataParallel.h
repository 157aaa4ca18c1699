#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "distributed/DistributedLaunch.h"

namespace sw {

/// The mean gradient over the ranks, all-reduced bucket by bucket while the backward pass still runs, as
/// DDP's reducer does: parameters are bucketed in reverse order (the order backward reaches them), and a
/// bucket's all-reduce starts once the last of its gradients is computed. Buckets start in the same order on
/// every rank. Each parameter must get one gradient per step (none is also fine: it counts as zero).
class GradientAverage {
public:
    virtual ~GradientAverage() = default;
    /// Runs `loss.backward()` and returns once every parameter's gradient is its mean over the ranks.
    virtual void backward(const torch::Tensor& loss) = 0;

    /// How the last backward overlapped with communication: buckets in all, and how many started their
    /// all-reduce before the backward pass returned.
    struct Overlap {
        int buckets = 0;
        int startedDuringBackward = 0;
    };
    virtual Overlap lastOverlap() const = 0;
};

/// The ranks of a data-parallel run, over PyTorch's c10d: a TCPStore rendezvous at MASTER_ADDR:MASTER_PORT and
/// a Gloo process group. Every call is collective: all ranks make it, in the same order. A rank that dies or
/// hangs makes the others' next call throw PeerLost (util/PeerLost.h) naming it, within the timeout.
class DataParallelGroup {
public:
    /// Connects to the other ranks (waits up to the timeout for them). Throws InputError for a port in use or
    /// an unreachable master, DistributedError when the backend is unavailable in this build.
    static std::unique_ptr<DataParallelGroup> connect(const DistributedLaunch& launch, const torch::Device& device);
    virtual ~DataParallelGroup() = default;

    virtual int rank() const = 0;
    virtual int worldSize() const = 0;
    virtual std::string backendName() const = 0;
    /// Watches `parameters` (their gradient hooks) for as long as the returned object lives; see GradientAverage.
    virtual std::unique_ptr<GradientAverage> gradientAverage(const std::vector<torch::Tensor>& parameters,
                                                             int64_t bucketBytes = kBucketBytes) = 0;
    /// Copies rank 0's values into every rank's tensors (the starting weights, the optimiser's state).
    virtual void broadcastFromLeader(const std::vector<torch::Tensor>& tensors) = 0;
    /// Sums `values` over the ranks, in place.
    virtual void sum(torch::Tensor& values) = 0;
    /// True on every rank when any rank asks to stop: all ranks then stop at the same step.
    virtual bool anyRankStops(bool thisRankStops) = 0;
    /// Waits, without a time limit, until every rank has reached the point called `name` (ranks that train
    /// whole models of a reproduction finish at different times); throws PeerLost naming a rank whose
    /// process ended meanwhile.
    virtual void waitForAll(const std::string& name) = 0;

    static constexpr int64_t kBucketBytes = 25 << 20;  ///< DDP's default bucket size
};

/// This rank cannot join the run: no rendezvous, or the build has no distributed backend.
class DistributedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace sw
