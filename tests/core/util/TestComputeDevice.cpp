#include <atomic>
#include <cstdlib>
#include <thread>

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "data/DatasetLoader.h"
#include "train/AutocastScope.h"
#include "train/Trainer.h"
#include "util/ComputeDevice.h"
#include "util/PrecisionScope.h"
#include "util/Resources.h"
#include "util/SystemInfo.h"
#include "TestSupport.h"

using namespace sw;

/// Device names, the system description, the bundled-data lookup and bfloat16 autocast.
class TestComputeDevice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resolvesDeviceNames() {
        QCOMPARE(resolveDevice("cpu"), torch::Device(torch::kCPU));
        const bool haveGpu = torch::cuda::is_available();
        QCOMPARE(resolveDevice("auto"), haveGpu ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU));
        QCOMPARE(resolveDevice(""), resolveDevice("auto"));
        sw::test::expectErrorMentioning([] { resolveDevice("tpu"); }, {"--device tpu", "expected auto, cpu, cuda or cuda:N"});
        sw::test::expectErrorMentioning([] { resolveDevice("cuda:x"); }, {"--device cuda:x", "cuda:N"});
        sw::test::expectErrorMentioning([] { resolveDevice("cuda:99"); }, {"--device cuda:99"});
        if (!haveGpu) {
            sw::test::expectErrorMentioning([] { resolveDevice("cuda"); }, {"--device cuda", "no GPU is available"});
            sw::test::expectErrorMentioning([] { describeDevice("cuda:0"); }, {"--device cuda:0"});
        }
    }

    void precisionNamesAndTheirRefusals() {
        QCOMPARE(int(parsePrecision("fp32", false)), int(Precision::Float32));
        QCOMPARE(int(parsePrecision("tf32", false)), int(Precision::TF32));
        QCOMPARE(int(parsePrecision("bf16", true)), int(Precision::BF16));
        for (const auto precision : {Precision::Float32, Precision::TF32, Precision::BF16})
            QCOMPARE(int(parsePrecision(precisionName(precision), true)), int(precision));
        sw::test::expectErrorMentioning([] { parsePrecision("bf16", false); }, {"--precision bf16", "training only"});
        sw::test::expectErrorMentioning([] { parsePrecision("fp16", true); }, {"--precision fp16", "fp32, tf32 or bf16"});
    }

    void tf32IsOffByDefaultAndExactScopesWin() {
        resolveDevice("cpu");  // what every job does first
        QVERIFY(!PrecisionScope::tf32Enabled());
        QCOMPARE(int(PrecisionScope::current()), int(Precision::Float32));
        {
            const PrecisionScope training(Precision::TF32);
            QVERIFY(PrecisionScope::tf32Enabled());
            QCOMPARE(int(PrecisionScope::current()), int(Precision::TF32));
            {
                // The run's own evaluation, nested: exact while it lasts.
                const PrecisionScope evaluation(Precision::Float32);
                QVERIFY(!PrecisionScope::tf32Enabled());
                QCOMPARE(int(PrecisionScope::current()), int(Precision::Float32));
            }
            QVERIFY(PrecisionScope::tf32Enabled());
            // An explanation on another thread (the GUI's interactive lane) turns TF32 off for as long as it runs.
            std::atomic<bool> explaining{false}, done{false};
            std::thread lane([&] {
                const PrecisionScope exact(Precision::Float32);
                explaining = true;
                while (!done) std::this_thread::yield();
            });
            while (!explaining) std::this_thread::yield();
            QVERIFY(!PrecisionScope::tf32Enabled());
            QCOMPARE(int(PrecisionScope::current()), int(Precision::TF32));  // this thread's record is its own
            done = true;
            lane.join();
            QVERIFY(PrecisionScope::tf32Enabled());
        }
        QVERIFY(!PrecisionScope::tf32Enabled());
    }

    void describesTheSystem() {
        prepareCpuCompute(2);
        const auto info = querySystemInfo();
        QCOMPARE(info.libtorchVersion, std::string(TORCH_VERSION));
        QCOMPARE(info.cpuThreads, 2);
        QCOMPARE(info.cudaAvailable, torch::cuda::is_available());
        QCOMPARE(info.gpus.size(), size_t(torch::cuda::device_count()));
        const auto text = describeSystem(info);
        QVERIFY2(text.find("LibTorch " TORCH_VERSION) != std::string::npos, text.c_str());
        QVERIFY2(text.find("CUDA available: ") != std::string::npos, text.c_str());
        QVERIFY2(text.find("cpu (2 threads)") != std::string::npos, text.c_str());
        const auto choices = deviceChoices(info);
        QVERIFY(choices.size() == 2 + info.gpus.size() && choices[0] == "auto" && choices[1] == "cpu");
        QCOMPARE(describeDevice("cpu"), std::string("cpu (2 threads)"));
    }

    void findsBundledDataFromTheSourceTreeOrTheEnvironment() {
        const auto models = findResource("models");
        QVERIFY2(std::filesystem::is_regular_file(std::filesystem::path(models) / "lenet-natural.swm"), models.c_str());
        QVERIFY(findResource("no-such-entry").empty());
        QTemporaryDir folder;
        QVERIFY(QDir(folder.path()).mkpath("models"));
        qputenv("SW_RESOURCES_DIR", folder.path().toUtf8());
        QCOMPARE(QString::fromStdString(findResource("models")), QDir(folder.path()).filePath("models"));
        qunsetenv("SW_RESOURCES_DIR");
    }

    void bfloat16AutocastCoversMatrixProductsOnlyInsideItsScope() {
        const auto a = torch::rand({8, 8}), b = torch::rand({8, 8});
        {
            AutocastScope autocast(torch::kCPU, Precision::BF16);
            QCOMPARE(torch::mm(a, b).scalar_type(), torch::kBFloat16);
        }
        QCOMPARE(torch::mm(a, b).scalar_type(), torch::kFloat32);
        {
            AutocastScope none(torch::kCPU, Precision::TF32);
            QCOMPARE(torch::mm(a, b).scalar_type(), torch::kFloat32);
        }
    }

    void trainsWithBfloat16Autocast() {
        const auto data = loadDataset(DatasetSpec::parse("shapes:256:3:train"));
        ModelDescription description;
        description.arch = "lenet";
        description.classes = {"circle", "square", "triangle", "cross"};
        description.smoothing.push_back({"gaussian", "pool1", 3, std::nullopt});
        torch::manual_seed(0);
        Classifier network(description);
        TrainRecipe recipe;
        recipe.maxSteps = 30;
        recipe.adversarial.kind = "fgsm-rs";
        recipe.adversarial.epsilon = 0.1;
        TrainerOptions options;
        options.precision = Precision::BF16;
        double lastLoss = -1;
        options.observer = [&](const TrainProgress& progress) { lastLoss = progress.loss; };
        Trainer trainer(network, recipe, options);
        Feedback feedback;
        trainer.run(data, &feedback);
        QVERIFY(std::isfinite(lastLoss) && lastLoss > 0);
        // The weights stay float32: autocast changes the arithmetic, not the parameters.
        for (const auto& parameter : network->parameters()) QCOMPARE(parameter.scalar_type(), torch::kFloat32);
    }
};

QTEST_APPLESS_MAIN(TestComputeDevice)
#include "TestComputeDevice.moc"
