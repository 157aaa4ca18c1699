#include <cstdio>
#include <future>
#include <map>
#include <mutex>

#include <torch/torch.h>

#include "distributed/DataParallel.h"
#include "distributed/LocalRanks.h"
#include "TestSupport.h"

using namespace sw;

namespace {

/// Three linear layers and a parameter the loss never reaches.
struct SmallNet : torch::nn::Module {
    SmallNet() {
        first = register_module("first", torch::nn::Linear(6, 5));
        second = register_module("second", torch::nn::Linear(5, 4));
        third = register_module("third", torch::nn::Linear(4, 3));
        unused = register_parameter("unused", torch::ones({2}));
    }
    torch::Tensor forward(const torch::Tensor& x) { return third(torch::tanh(second(torch::tanh(first(x))))); }
    torch::nn::Linear first{nullptr}, second{nullptr}, third{nullptr};
    torch::Tensor unused;
};

/// The same starting weights on every rank. The ranks are threads of one process here, sharing the global
/// generator: seeding and drawing must not interleave.
std::shared_ptr<SmallNet> makeNet() {
    static std::mutex generator;
    std::lock_guard<std::mutex> lock(generator);
    torch::manual_seed(3);
    return std::make_shared<SmallNet>();
}

torch::Tensor inputOfRank(int rank) { return torch::linspace(-1.0, 1.0, 24).reshape({4, 6}) * double(rank + 1) + 0.1 * rank; }

torch::Tensor lossOf(SmallNet& net, const torch::Tensor& x) { return net.forward(x).pow(2).sum(); }

using Gradients = std::map<std::string, torch::Tensor>;

Gradients gradientsOf(SmallNet& net) {
    Gradients gradients;
    for (const auto& item : net.named_parameters())
        gradients[item.key()] = item.value().grad().defined() ? item.value().grad().clone() : torch::zeros_like(item.value());
    return gradients;
}

struct RankOutcome {
    Gradients gradients;
    torch::Tensor ownGradientAfterwards;
    GradientAverage::Overlap overlap;
    torch::Tensor inputGradient;
};

}  // namespace

/// The overlapped gradient average against the mean of each rank's own gradients, two ranks over loopback
/// Gloo in one process (a thread each).
class TestGradientAverage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void averagesWhileBackwardRuns() {
        // The reference: each rank's gradients computed alone, then averaged here.
        Gradients expected;
        for (int rank = 0; rank < 2; ++rank) {
            auto net = makeNet();
            lossOf(*net, inputOfRank(rank)).backward();
            for (const auto& [name, gradient] : gradientsOf(*net))
                expected[name] = expected.count(name) ? expected[name] + gradient / 2.0 : gradient / 2.0;
        }
        const int port = freeLoopbackPort();
        auto runRank = [port](int rank) {
            DistributedLaunch launch;
            launch.rank = rank;
            launch.localRank = rank;
            launch.worldSize = 2;
            launch.masterAddress = "127.0.0.1";
            launch.masterPort = port;
            // Only a rank that never answers waits this long; two threads on a loaded 2-core machine answer in ms.
            launch.timeout = std::chrono::seconds(30);
            auto group = DataParallelGroup::connect(launch, torch::kCPU);
            auto net = makeNet();
            RankOutcome result;
            {
                // 40-byte buckets: several buckets, so the early ones can start while backward still runs.
                const auto average = group->gradientAverage(net->parameters(), 40);
                // An attack's backward pass (gradients of the input only) is not the training step's: ignored.
                auto x = inputOfRank(rank).requires_grad_(true);
                result.inputGradient = torch::autograd::grad({lossOf(*net, x)}, {x})[0];
                average->backward(lossOf(*net, inputOfRank(rank)));
                result.overlap = average->lastOverlap();
                result.gradients = gradientsOf(*net);
            }
            // Once the average is gone its hooks are too: a plain backward adds this rank's own gradient.
            for (auto& parameter : net->parameters()) parameter.mutable_grad().zero_();
            lossOf(*net, inputOfRank(rank)).backward();
            result.ownGradientAfterwards = net->first->weight.grad().clone();
            return result;
        };
        auto rank1 = std::async(std::launch::async, runRank, 1);
        const auto rank0 = runRank(0);
        const auto other = rank1.get();
        for (const auto* result : {&rank0, &other}) {
            QVERIFY2(result->overlap.buckets >= 3, std::to_string(result->overlap.buckets).c_str());
            // Every parameter the loss reaches is ready before backward returns; only the unused one's bucket
            // (the last: parameters are bucketed in reverse) waits for the end.
            QCOMPARE(result->overlap.startedDuringBackward, result->overlap.buckets - 1);
            QCOMPARE(result->gradients.size(), expected.size());
            for (const auto& [name, mean] : expected) {
                const double error = (result->gradients.at(name) - mean).abs().max().item<double>();
                QVERIFY2(error < 1e-6, (name + ": " + std::to_string(error)).c_str());
            }
            QVERIFY(result->inputGradient.abs().sum().item<double>() > 0.0);
        }
        QVERIFY(torch::equal(rank0.gradients.at("unused"), torch::zeros({2})));
        // After the average: rank 0's own gradient again, not the mean.
        auto alone = makeNet();
        lossOf(*alone, inputOfRank(0)).backward();
        QVERIFY(torch::allclose(rank0.ownGradientAfterwards, alone->first->weight.grad()));
        QVERIFY(!torch::allclose(rank0.ownGradientAfterwards, rank0.gradients.at("first.weight")));
    }

    void theRanksAgreeOnTheBackendOrAllSayWhy() {
        // Both ranks must fail alike (neither may wait for a backend the other never starts).
        const auto connectBoth = [](const std::string& backend0, const std::string& backend1) {
            const int port = freeLoopbackPort();
            auto runRank = [port](int rank, std::string backend) -> std::string {
                DistributedLaunch launch;
                launch.rank = rank;
                launch.worldSize = 2;
                launch.masterAddress = "127.0.0.1";
                launch.masterPort = port;
                launch.backend = backend;
                launch.timeout = std::chrono::seconds(30);
                try {
                    return "connected over " + DataParallelGroup::connect(launch, torch::kCPU)->backendName();
                } catch (const std::exception& error) {
                    return error.what();
                }
            };
            auto other = std::async(std::launch::async, runRank, 1, backend1);
            const auto first = runRank(0, backend0);
            return std::make_pair(first, other.get());
        };
        const auto [mixed0, mixed1] = connectBoth("gloo", "auto");
        for (const auto& message : {mixed0, mixed1}) QVERIFY2(message.find("different backends") != std::string::npos, message.c_str());
        const auto [cpu0, cpu1] = connectBoth("nccl", "nccl");  // NCCL on CPU ranks (or a build without NCCL)
        for (const auto& message : {cpu0, cpu1}) QVERIFY2(message.find("--dist-backend nccl") != std::string::npos, message.c_str());
        const auto [auto0, auto1] = connectBoth("auto", "auto");
        QCOMPARE(auto0, std::string("connected over gloo"));
        QCOMPARE(auto1, std::string("connected over gloo"));
    }
};

int main(int argc, char** argv) {
    std::string why;
    if (!dataParallelAvailable(&why)) {
        std::printf("SKIP: %s\n", why.c_str());
        return 77;
    }
    torch::set_num_threads(1);
    TestGradientAverage test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestGradientAverage.moc"
