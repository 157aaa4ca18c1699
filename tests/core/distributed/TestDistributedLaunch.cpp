#include <torch/cuda.h>

#include "distributed/DistributedLaunch.h"
#include "TestSupport.h"

using namespace sw;

/// How a process learns it is one rank of several (torchrun's and Slurm's variables), which GPU it takes, and
/// which backend the ranks agree on.
class TestDistributedLaunch : public QObject {
    Q_OBJECT
private:
    static void clearLaunchVariables() {
        for (const char* name :
             {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID"})
            qunsetenv(name);
    }
    static void set(std::initializer_list<std::pair<const char*, const char*>> variables) {
        clearLaunchVariables();
        for (const auto& [name, value] : variables) qputenv(name, value);
    }

private Q_SLOTS:
    void cleanup() { clearLaunchVariables(); }

    void oneProcessWithoutALauncher() {
        clearLaunchVariables();
        const auto launch = DistributedLaunch::fromEnvironment();
        QVERIFY(!launch.isDistributed());
        QVERIFY(launch.isLeader());
        QCOMPARE(launch.worldSize, 1);
    }

    void readsTorchrun() {
        set({{"WORLD_SIZE", "4"}, {"RANK", "2"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29500"}});
        const auto launch = DistributedLaunch::fromEnvironment();
        QCOMPARE(launch.worldSize, 4);
        QCOMPARE(launch.rank, 2);
        QCOMPARE(launch.localRank, 1);
        QCOMPARE(launch.masterAddress, std::string("node7"));
        QCOMPARE(launch.masterPort, 29500);
        QVERIFY(launch.isDistributed() && !launch.isLeader());
    }

    void readsSlurmUnlessTorchrunIsThere() {
        set({{"SLURM_NTASKS", "8"}, {"SLURM_PROCID", "5"}, {"SLURM_LOCALID", "1"}, {"MASTER_ADDR", "n1"}, {"MASTER_PORT", "29501"}});
        auto launch = DistributedLaunch::fromEnvironment();
        QCOMPARE(launch.worldSize, 8);
        QCOMPARE(launch.rank, 5);
        QCOMPARE(launch.localRank, 1);
        qputenv("WORLD_SIZE", "2");
        qputenv("RANK", "1");
        launch = DistributedLaunch::fromEnvironment();
        QCOMPARE(launch.worldSize, 2);
        QCOMPARE(launch.rank, 1);
        QCOMPARE(launch.localRank, 1);  // LOCAL_RANK unset: the rank
    }

    void badLaunchesAreNamed() {
        const auto expect = [](std::initializer_list<std::pair<const char*, const char*>> variables, std::vector<std::string> fragments) {
            set(variables);
            sw::test::expectErrorMentioning([] { DistributedLaunch::fromEnvironment(); }, fragments);
        };
        expect({{"WORLD_SIZE", "0"}}, {"WORLD_SIZE=0", "1 or more"});
        expect({{"WORLD_SIZE", "two"}}, {"WORLD_SIZE=two", "whole number"});
        expect({{"WORLD_SIZE", "4"}, {"RANK", "4"}}, {"RANK=4", "0 to 3"});
        expect({{"WORLD_SIZE", "2"}}, {"RANK", "not set"});
        expect({{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_PORT", "29500"}}, {"MASTER_ADDR", "not set"});
        expect({{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_ADDR", "h"}}, {"MASTER_PORT", "not set"});
        expect({{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "70000"}}, {"MASTER_PORT=70000", "1 to 65535"});
        expect({{"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "7"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}, {"SLURM_PROCID=7"});
    }

    void eachRankTakesTheGpuOfItsLocalRank() {
        DistributedLaunch launch;
        QCOMPARE(launch.deviceForRank("cuda"), std::string("cuda"));  // one process: as asked
        launch.worldSize = 4;
        launch.rank = 3;
        launch.localRank = 3;
        QCOMPARE(launch.deviceForRank("cpu"), std::string("cpu"));
        QCOMPARE(launch.deviceForRank("cuda:1"), std::string("cuda:1"));  // explicit: kept
        const int64_t gpus = std::max<int64_t>(1, int64_t(torch::cuda::device_count()));
        QCOMPARE(launch.deviceForRank("cuda"), "cuda:" + std::to_string(3 % gpus));
        QCOMPARE(launch.deviceForRank("auto"), torch::cuda::is_available() ? "cuda:" + std::to_string(3 % gpus) : std::string("auto"));
    }

    void ncclOnlyWhenEveryRankHasAGpu() {
        QCOMPARE(chooseBackend("auto", true, true), std::string("nccl"));
        QCOMPARE(chooseBackend("auto", false, true), std::string("gloo"));  // a rank on the CPU, or two sharing a GPU: all use Gloo
        QCOMPARE(chooseBackend("auto", true, false), std::string("gloo"));  // no NCCL in this build
        QCOMPARE(chooseBackend("gloo", true, true), std::string("gloo"));
        QCOMPARE(chooseBackend("nccl", true, true), std::string("nccl"));
    }
};

QTEST_GUILESS_MAIN(TestDistributedLaunch)
#include "TestDistributedLaunch.moc"
