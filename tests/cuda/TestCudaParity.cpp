// CPU against CUDA on the same model file and data: logits, saliency maps, the protocol's measures,
// deterministic training, cancel and cross-device resume. One executable, one check per CTest test
// (`test_cuda_parity CHECK`). Without a GPU every check exits 77, which CTest reports as skipped with the
// reason printed here. Plain C++ (no Qt Test), so scripts/gpu-check.sh can build it on a machine that has
// only a C++ compiler, CMake and PyTorch.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "data/DatasetLoader.h"
#include "data/DatasetSpec.h"
#include "explain/SaliencyExplainer.h"
#include "jobs/SaliencyEvaluationJob.h"
#include "models/ModelFile.h"
#include "train/Trainer.h"
#include "util/ComputeDevice.h"
#include "util/SystemInfo.h"

namespace fs = std::filesystem;

namespace {

constexpr int kSkipped = 77;

struct CheckFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void require(bool condition, const std::string& what) {
    if (!condition) throw CheckFailed(what);
}

const std::string kSubset = std::string(SW_SOURCE_DIR) + "/resources/fashion-mnist-subset";
const fs::path kModel = fs::path(SW_SOURCE_DIR) / "resources/models/lenet-adv-eps0.1-gaussian.swm";
const torch::Device kCpu(torch::kCPU);
const torch::Device kGpu(torch::kCUDA, 0);

/// Largest |a − b| / (|b| + floor) over all elements: a relative error that ignores near-zero entries.
double relativeError(const torch::Tensor& a, const torch::Tensor& b, double floor) {
    const auto x = a.detach().cpu().to(torch::kFloat64), y = b.detach().cpu().to(torch::kFloat64);
    return ((x - y).abs() / (y.abs() + floor)).max().item<double>();
}

sw::Dataset testImages(int64_t count) { return sw::loadDataset(sw::DatasetSpec::parse("fmnist:" + kSubset + ":test")).head(count); }

/// The same model file loaded twice: once kept on the CPU, once moved to the GPU.
struct ModelOnBothDevices {
    std::unique_ptr<sw::ImageClassifier> cpu = sw::loadModel(kModel);
    std::unique_ptr<sw::ImageClassifier> gpu = [] {
        auto model = sw::loadModel(kModel);
        model->moveTo(kGpu);
        return model;
    }();
};

void checkLogits() {
    const auto data = testImages(256);
    const auto pixels = data.floatImages(torch::arange(data.size(), torch::kInt64));
    ModelOnBothDevices model;
    torch::NoGradGuard noGrad;
    const auto onCpu = model.cpu->logits(pixels);
    const auto onGpu = model.gpu->logits(pixels.to(kGpu));
    const double difference = (onCpu - onGpu.cpu()).abs().max().item<double>();
    std::printf("logits: max |cpu - cuda| = %.3g\n", difference);
    require(difference <= 1e-5 * std::max(1.0, onCpu.abs().max().item<double>()), "logits differ by more than 1e-5");
}

void checkMaps() {
    const auto data = testImages(64);
    const auto pixels = data.floatImages(torch::arange(data.size(), torch::kInt64));
    ModelOnBothDevices model;
    for (const char* method : {"vg", "ig"}) {
        sw::SaliencyConfig config;
        config.method = method;
        config.igSteps = 50;
        sw::SaliencyExplainer onCpu(*model.cpu, config), onGpu(*model.gpu, config);
        const auto targets = onCpu.resolveTargets(pixels, data.labels);
        const auto mapsCpu = onCpu.attribute(pixels, targets);
        const auto mapsGpu = onGpu.attribute(pixels.to(kGpu), targets.to(kGpu));
        // Relative to each map's scale: entries far below it carry no meaning for a heatmap.
        const double scale = mapsCpu.abs().max().item<double>();
        const double error = relativeError(mapsGpu, mapsCpu, 1e-2 * scale);
        std::printf("%s maps: max relative difference %.3g\n", method, error);
        require(error <= 1e-4, std::string(method) + " maps differ by more than 1e-4 (relative)");
    }
}

nlohmann::json evaluateOn(const std::string& device, const fs::path& folder) {
    sw::SaliencyEvaluationRequest request;
    request.modelPath = kModel.string();
    request.datasetSpec = "fmnist:" + kSubset + ":test";
    request.limit = 200;
    request.protocol.metrics = {"accuracy", "sparseness", "ris", "ros"};
    request.device = device;
    request.jsonPath = (folder / ("evaluation-" + device + ".json")).string();
    sw::Feedback feedback;
    std::string json;
    const auto result = sw::runSaliencyEvaluationJob(request, feedback, &json);
    require(result.outcome == sw::Outcome::Completed, "evaluation on " + device + " failed: " + result.message);
    return nlohmann::json::parse(json)["summary"];
}

void checkProtocol() {
    const auto folder = fs::temp_directory_path() / ("sw-cuda-protocol-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    const auto cpu = evaluateOn("cpu", folder);
    const auto gpu = evaluateOn("cuda", folder);
    fs::remove_all(folder);
    require(cpu["accuracy"] == gpu["accuracy"], "accuracy differs between CPU and CUDA");
    // "Within the protocol's noise": the difference must lie inside the CPU run's own 95 % interval width.
    for (const char* measure : {"sparseness", "ris", "ros"}) {
        const auto& a = cpu[measure];
        const auto& b = gpu[measure];
        const double difference = std::abs(a["mean"].get<double>() - b["mean"].get<double>());
        const double noise = a["ci95"][1].get<double>() - a["ci95"][0].get<double>();
        std::printf("%s: cpu %.6g cuda %.6g (interval width %.3g)\n", measure, a["mean"].get<double>(), b["mean"].get<double>(), noise);
        require(difference <= std::max(noise, 1e-6), std::string(measure) + " differs by more than the protocol's noise");
    }
}

struct TrainingRun {
    std::vector<double> losses;
    int64_t stepsDone = 0;
    sw::Outcome outcome = sw::Outcome::Completed;
};

/// Trains the paper's LeNet (PGD, Gaussian block) from the same seed; one loss per step.
TrainingRun train(torch::Device device, int64_t steps, const fs::path& checkpoint = {}, const fs::path& resumeFrom = {},
                  const std::function<void(sw::Feedback&, int64_t)>& afterStep = {}) {
    const auto data = sw::loadDataset(sw::DatasetSpec::parse("fmnist:" + kSubset + ":train"), sw::DatasetLoadOptions{"train"});
    sw::ModelDescription description = sw::loadModel(kModel)->description();
    torch::manual_seed(0);
    sw::Classifier network(description);
    sw::TrainRecipe recipe;
    recipe.maxSteps = steps;
    recipe.batchSize = 32;
    recipe.adversarial.kind = "pgd";
    recipe.adversarial.epsilon = 0.1;
    recipe.adversarial.steps = 3;
    sw::TrainerOptions options;
    options.device = device;
    options.reportEverySteps = 1;
    options.checkpointPath = checkpoint;
    TrainingRun run;
    sw::Feedback feedback;
    options.observer = [&](const sw::TrainProgress& progress) {
        run.losses.push_back(progress.loss);
        run.stepsDone = progress.step;
        if (afterStep) afterStep(feedback, progress.step);
    };
    sw::Trainer trainer(network, recipe, options);
    if (!resumeFrom.empty()) trainer.resumeFrom(resumeFrom);
    try {
        trainer.run(data, &feedback);
        run.outcome = sw::Outcome::Completed;
    } catch (const sw::Cancelled&) {
        run.outcome = sw::Outcome::Cancelled;
    }
    run.stepsDone = trainer.globalStep();
    return run;
}

void checkTraining() {
    sw::setDeterministic(true);
    const auto cpu = train(kCpu, 50);
    const auto gpu = train(kGpu, 50);
    require(cpu.losses.size() == 50 && gpu.losses.size() == 50, "expected 50 losses from each run");
    double worst = 0;
    for (size_t step = 0; step < 50; ++step) worst = std::max(worst, std::abs(cpu.losses[step] - gpu.losses[step]));
    std::printf("training: 50 steps, max |loss cpu - loss cuda| = %.3g (last %.5f vs %.5f)\n", worst, cpu.losses.back(), gpu.losses.back());
    require(worst <= 1e-4, "the CPU and CUDA loss curves differ by more than 1e-4");
}

void checkCancel() {
    std::atomic<int64_t> cancelledAt{-1};
    const auto run = train(kGpu, 200, {}, {}, [&](sw::Feedback& feedback, int64_t step) {
        if (step == 5) {
            cancelledAt = step;
            feedback.cancel();
        }
    });
    std::printf("cancel: requested after step %lld, stopped after step %lld\n", static_cast<long long>(cancelledAt.load()),
                static_cast<long long>(run.stepsDone));
    require(run.outcome == sw::Outcome::Cancelled, "training on CUDA did not report cancellation");
    require(run.stepsDone <= cancelledAt + 1, "training on CUDA ran more than one batch past the cancel");
}

void checkCheckpointAcrossDevices() {
    sw::setDeterministic(true);
    const auto folder = fs::temp_directory_path() / ("sw-cuda-checkpoint-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    const auto whole = train(kCpu, 20);
    for (const auto& [first, second] : {std::pair{kCpu, kGpu}, std::pair{kGpu, kCpu}}) {
        const auto checkpoint = folder / ("run-" + first.str() + ".ckpt");
        // The first part is the 20-step run stopped after step 10, so its learning-rate schedule is the same.
        train(first, 20, checkpoint, {}, [](sw::Feedback& feedback, int64_t step) {
            if (step == 10) feedback.cancel();
        });
        const auto resumed = train(second, 20, checkpoint, checkpoint);
        require(resumed.losses.size() == 10, "the resumed run should train steps 11 to 20");
        double worst = 0;
        for (size_t step = 0; step < 10; ++step) worst = std::max(worst, std::abs(resumed.losses[step] - whole.losses[10 + step]));
        std::printf("checkpoint %s -> %s: max loss difference to an uninterrupted run %.3g\n", first.str().c_str(), second.str().c_str(),
                    worst);
        require(worst <= 1e-4, "a checkpoint saved on " + first.str() + " does not resume on " + second.str());
    }
    fs::remove_all(folder);
}

const std::map<std::string, std::function<void()>> kChecks = {
    {"logits", checkLogits},     {"maps", checkMaps},     {"protocol", checkProtocol},
    {"training", checkTraining}, {"cancel", checkCancel}, {"checkpoint", checkCheckpointAcrossDevices},
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || !kChecks.count(argv[1])) {
        std::fprintf(stderr, "usage: %s logits|maps|protocol|training|cancel|checkpoint\n", argv[0]);
        return 2;
    }
    const auto system = sw::querySystemInfo();
    if (!system.cudaAvailable) {
        std::printf("SKIPPED: %s\n", system.cudaCompiledIn ? "this LibTorch has CUDA, but no GPU or NVIDIA driver is visible"
                                                           : "this LibTorch was built without CUDA");
        return kSkipped;
    }
    sw::setComputeThreads(0);
    std::printf("%s", sw::describeSystem(system).c_str());
    try {
        kChecks.at(argv[1])();
    } catch (const CheckFailed& failure) {
        std::printf("FAILED: %s\n", failure.what());
        return 1;
    } catch (const std::exception& error) {
        std::printf("FAILED with an exception: %s\n", error.what());
        return 1;
    }
    std::printf("passed\n");
    return 0;
}
