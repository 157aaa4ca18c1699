// NCCL's process group on the GPUs of this machine: one rank per GPU (up to two), each in a thread. The
// overlapped gradient average, the sum of a CPU tensor and the broadcast are checked against the same
// computation on the CPU. Exits 77 (skipped) without a GPU or without NCCL in this build.
#include <cstdio>
#include <future>
#include <map>
#include <mutex>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "distributed/DataParallel.h"
#include "distributed/LocalRanks.h"

using namespace sw;

namespace {

struct SmallNet : torch::nn::Module {
    SmallNet() {
        first = register_module("first", torch::nn::Linear(6, 5));
        second = register_module("second", torch::nn::Linear(5, 3));
    }
    torch::Tensor forward(const torch::Tensor& x) { return second(torch::tanh(first(x))); }
    torch::nn::Linear first{nullptr}, second{nullptr};
};

/// The same starting weights on every rank. The ranks are threads of one process here, sharing the global
/// generator: seeding and drawing must not interleave.
std::shared_ptr<SmallNet> makeNet() {
    static std::mutex generator;
    std::lock_guard<std::mutex> lock(generator);
    torch::manual_seed(5);
    return std::make_shared<SmallNet>();
}

torch::Tensor inputOfRank(int rank) { return torch::linspace(-1.0, 1.0, 24).reshape({4, 6}) * double(rank + 1); }

std::map<std::string, torch::Tensor> gradientsOf(SmallNet& net) {
    std::map<std::string, torch::Tensor> gradients;
    for (const auto& item : net.named_parameters()) gradients[item.key()] = item.value().grad().cpu().clone();
    return gradients;
}

}  // namespace

int main() {
    std::string why;
    if (!torch::cuda::is_available()) {
        std::printf("SKIP: no GPU is visible\n");
        return 77;
    }
    if (!ncclAvailable(&why)) {
        std::printf("SKIP: %s\n", why.c_str());
        return 77;
    }
    const int world = int(std::min<int64_t>(2, torch::cuda::device_count()));
    std::map<std::string, torch::Tensor> expected;
    for (int rank = 0; rank < world; ++rank) {
        auto net = makeNet();
        net->forward(inputOfRank(rank)).pow(2).sum().backward();
        for (const auto& [name, gradient] : gradientsOf(*net))
            expected[name] = expected.count(name) ? expected[name] + gradient / double(world) : gradient / double(world);
    }
    const int port = freeLoopbackPort();
    auto checkRank = [&](int rank) -> double {
        DistributedLaunch launch;
        launch.rank = rank;
        launch.localRank = rank;
        launch.worldSize = world;
        launch.masterAddress = "127.0.0.1";
        launch.masterPort = port;
        launch.backend = "nccl";
        launch.timeout = std::chrono::seconds(60);
        const torch::Device device(torch::kCUDA, rank);
        auto group = DataParallelGroup::connect(launch, device);
        if (group->backendName() != "nccl") throw std::runtime_error("backend " + group->backendName());
        auto net = makeNet();
        net->to(device);
        const auto average = group->gradientAverage(net->parameters(), 64);
        average->backward(net->forward(inputOfRank(rank).to(device)).pow(2).sum());
        double error = 0.0;
        for (const auto& [name, gradient] : gradientsOf(*net))
            error = std::max(error, (gradient - expected.at(name)).abs().max().item<double>());
        auto counts = torch::full({2}, double(rank + 1), torch::kFloat64);  // a CPU tensor, staged through the GPU
        group->sum(counts);
        error = std::max(error, std::abs(counts[0].item<double>() - world * (world + 1) / 2.0));
        auto shared = torch::full({3}, double(rank), torch::TensorOptions().device(device));
        group->broadcastFromLeader({shared});
        error = std::max(error, shared.abs().max().item<double>());  // rank 0's zeros everywhere
        const auto overlap = average->lastOverlap();
        std::printf("nccl rank %d of %d: %d buckets, %d started during backward\n", rank, world, overlap.buckets,
                    overlap.startedDuringBackward);
        if (overlap.startedDuringBackward != overlap.buckets) error = std::max(error, 1.0);
        return error;
    };
    // A rank that throws reports it and counts as a failed check (not an uncaught exception).
    auto runRank = [&](int rank) -> double {
        try {
            return checkRank(rank);
        } catch (const std::exception& error) {
            std::printf("nccl rank %d: %s\n", rank, error.what());
            return 1.0;
        }
    };
    std::vector<std::future<double>> others;
    for (int rank = 1; rank < world; ++rank) others.push_back(std::async(std::launch::async, runRank, rank));
    double error = runRank(0);
    for (auto& other : others) error = std::max(error, other.get());
    // A wrong average (a sum, a missing bucket, another rank's gradient) is off by the gradients' own size
    // (about 1e-2 here); float32 rounding of these small sums stays near 1e-7 (1.2e-7 measured on an H200).
    const double bound = 1e-5;
    std::printf(
        "check nccl average, %d rank(s), max error against the CPU: measured %.3g, bound %.3g (float32 rounding is "
        "~1e-7, a wrong average ~1e-2): %s\n",
        world, error, bound, error <= bound ? "ok" : "FAILED");
    return error <= bound ? 0 : 1;
}
