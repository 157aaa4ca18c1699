// CPU against CUDA on the same model file and data: logits, saliency maps, the protocol's measures, training,
// cancel, cross-device resume, and the precision policy. One executable, one check per CTest test
// (`test_cuda_parity CHECK`). Without a GPU every check exits 77, which CTest reports as skipped with the reason
// printed here. Plain C++ (no Qt Test), so scripts/gpu-check.sh can build it on a machine that has only a C++
// compiler, CMake and PyTorch.
//
// Every bound is measured, not chosen: before comparing the devices, each check does the same computation on the
// CPU twice more with nothing changed but float32 rounding — once with one thread instead of all (the sums run in
// another order), once with every weight moved by one unit in the last place — and takes the larger of the two
// differences as the size of rounding noise for that quantity. A GPU orders its sums differently again (blocked
// reductions, other convolution algorithms), so a CUDA result may differ from the CPU's by up to kRoundingFactor
// times that noise. Each check prints one line per quantity: what it measured, the bound, and where it came from
// (docs/METRICS.md, "CPU and GPU", quotes them). `test_cuda_parity baselines` prints the CPU side alone and runs
// without a GPU.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "data/DatasetLoader.h"
#include "data/DatasetSpec.h"
#include "explain/SaliencyExplainer.h"
#include "jobs/SaliencyEvaluationJob.h"
#include "models/ModelFile.h"
#include "models/NativeClassifier.h"
#include "train/Evaluation.h"
#include "train/Trainer.h"
#include "util/ComputeDevice.h"
#include "util/PrecisionScope.h"
#include "util/SystemInfo.h"

namespace fs = std::filesystem;

namespace {

constexpr int kSkipped = 77;
/// How far beyond the CPU's own rounding noise a GPU result may lie (see the top of this file).
constexpr double kRoundingFactor = 10.0;

const std::string kSubset = std::string(SW_SOURCE_DIR) + "/resources/fashion-mnist-subset";
const fs::path kModel = fs::path(SW_SOURCE_DIR) / "resources/models/lenet-adv-eps0.1-gaussian.swm";
const torch::Device kCpu(torch::kCPU);
const torch::Device kGpu(torch::kCUDA, 0);

std::vector<std::string> g_failures;

/// The line gpu-check.sh collects: measured value, bound, and why the bound is what it is.
void report(const std::string& what, double measured, double bound, const std::string& why) {
    const bool ok = measured <= bound;
    std::printf("check %s: measured %.3g, bound %.3g (%s): %s\n", what.c_str(), measured, bound, why.c_str(), ok ? "ok" : "FAILED");
    if (!ok) g_failures.push_back(what);
}

/// The CPU's own spread for one quantity: with one thread instead of all, and with every weight one unit in the
/// last place higher.
struct RoundingNoise {
    double oneThread = 0.0;
    double lastBit = 0.0;
    double floor = 0.0;  ///< below this, differences are float32 resolution of the quantity itself
    double bound() const { return kRoundingFactor * std::max({oneThread, lastBit, floor}); }
    std::string why() const {
        char text[200];
        std::snprintf(text, sizeof text, "%.0f x CPU rounding noise: 1 thread %.3g, last-bit weights %.3g, resolution %.3g",
                      kRoundingFactor, oneThread, lastBit, floor);
        return text;
    }
};

sw::Dataset testImages(int64_t count) { return sw::loadDataset(sw::DatasetSpec::parse("fmnist:" + kSubset + ":test")).head(count); }

torch::Tensor pixelsOf(const sw::Dataset& data) { return data.floatImages(torch::arange(data.size(), torch::kInt64)); }

/// Every parameter moved to the next float32 above it: the smallest change a model can undergo.
void moveWeightsByOneUlp(sw::ImageClassifier& model) {
    torch::NoGradGuard noGrad;
    for (auto& parameter : model.parameters()) {
        parameter.copy_(torch::nextafter(parameter, torch::full_like(parameter, std::numeric_limits<float>::infinity())));
    }
}

/// Runs `compute` on a CPU model with one thread, then on a CPU model with last-bit weights, and measures each
/// against `reference` with `difference`.
RoundingNoise roundingNoise(const std::function<torch::Tensor(sw::ImageClassifier&)>& compute, const torch::Tensor& reference,
                            const std::function<double(const torch::Tensor&, const torch::Tensor&)>& difference, double floor) {
    RoundingNoise noise;
    noise.floor = floor;
    const int threads = at::get_num_threads();
    {
        auto model = sw::loadModel(kModel);
        at::set_num_threads(1);
        noise.oneThread = difference(compute(*model), reference);
        at::set_num_threads(threads);
    }
    auto perturbed = sw::loadModel(kModel);
    moveWeightsByOneUlp(*perturbed);
    noise.lastBit = difference(compute(*perturbed), reference);
    return noise;
}

double maxAbsoluteDifference(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.detach().cpu().to(torch::kFloat64) - b.detach().cpu().to(torch::kFloat64)).abs().max().item<double>();
}

/// The largest per-image relative L2 difference ‖a − b‖ / ‖b‖: how much a heatmap as a whole moves.
double mapDifference(const torch::Tensor& a, const torch::Tensor& b) {
    const auto x = a.detach().cpu().to(torch::kFloat64).flatten(1), y = b.detach().cpu().to(torch::kFloat64).flatten(1);
    return ((x - y).norm(2, 1) / y.norm(2, 1).clamp_min(1e-30)).max().item<double>();
}

torch::Tensor logitsOf(sw::ImageClassifier& model, const torch::Tensor& pixels) {
    torch::NoGradGuard noGrad;
    return model.logits(pixels.to(model.device())).cpu();
}

torch::Tensor mapsOf(sw::ImageClassifier& model, const sw::SaliencyConfig& config, const torch::Tensor& pixels,
                     const torch::Tensor& targets) {
    sw::SaliencyExplainer explainer(model, config);
    return explainer.attribute(pixels.to(model.device()), targets.to(model.device())).cpu();
}

void checkLogits() {
    const auto pixels = pixelsOf(testImages(256));
    auto cpu = sw::loadModel(kModel);
    const auto reference = logitsOf(*cpu, pixels);
    const double resolution = 1e-7 * reference.abs().max().item<double>();  // float32's epsilon at the logits' scale
    const auto noise =
        roundingNoise([&](sw::ImageClassifier& model) { return logitsOf(model, pixels); }, reference, maxAbsoluteDifference, resolution);
    auto gpu = sw::loadModel(kModel);
    gpu->moveTo(kGpu);
    report("logits, max |cpu - cuda|", maxAbsoluteDifference(logitsOf(*gpu, pixels), reference), noise.bound(), noise.why());
}

void checkMaps() {
    const auto data = testImages(64);
    const auto pixels = pixelsOf(data);
    auto cpu = sw::loadModel(kModel);
    auto gpu = sw::loadModel(kModel);
    gpu->moveTo(kGpu);
    for (const char* method : {"vg", "ig"}) {
        sw::SaliencyConfig config;
        config.method = method;
        config.igSteps = 50;
        const auto targets = sw::SaliencyExplainer(*cpu, config).resolveTargets(pixels, data.labels);
        const auto reference = mapsOf(*cpu, config, pixels, targets);
        const auto noise = roundingNoise([&](sw::ImageClassifier& model) { return mapsOf(model, config, pixels, targets); }, reference,
                                         mapDifference, 1e-7);
        report(std::string(method) + " maps (default precision), max relative L2 difference per map",
               mapDifference(mapsOf(*gpu, config, pixels, targets), reference), noise.bound(), noise.why());
    }
}

/// The precision policy on the card: by default TF32 is off, so the maps above agree; a TF32 scope (a training
/// run's opt-in) must really reach cuDNN, which shows as maps that move by more than rounding noise.
void checkPrecisionPolicy() {
    const auto data = testImages(64);
    const auto pixels = pixelsOf(data);
    auto cpu = sw::loadModel(kModel);
    auto gpu = sw::loadModel(kModel);
    gpu->moveTo(kGpu);
    report("TF32 switches on by default (1 = on)", sw::PrecisionScope::tf32Enabled() ? 1.0 : 0.0, 0.0,
           "explanations and measures default to fp32 (docs/TRAINING.md, Precision)");
    sw::SaliencyConfig config;
    const auto targets = sw::SaliencyExplainer(*cpu, config).resolveTargets(pixels, data.labels);
    const auto reference = mapsOf(*cpu, config, pixels, targets);
    const double exact = mapDifference(mapsOf(*gpu, config, pixels, targets), reference);
    double tf32 = 0.0;
    {
        const sw::PrecisionScope optIn(sw::Precision::TF32);
        tf32 = mapDifference(mapsOf(*gpu, config, pixels, targets), reference);
    }
    std::printf("precision: VG maps differ from the CPU's by %.3g in fp32 and by %.3g under a TF32 scope\n", exact, tf32);
    // Not a bound on TF32's error: that the opt-in takes effect at all (else precision would not reach cuDNN).
    report("fp32 / tf32 map difference ratio", exact / std::max(tf32, 1e-30), 0.5,
           "TF32 rounds convolution inputs to 10 bits, so its maps must move at least twice as far as fp32's");
    report("TF32 switches on after the TF32 scope ended (1 = on)", sw::PrecisionScope::tf32Enabled() ? 1.0 : 0.0, 0.0,
           "a scope restores fp32 when it ends");
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
    if (result.outcome != sw::Outcome::Completed) throw std::runtime_error("evaluation on " + device + " failed: " + result.message);
    return nlohmann::json::parse(json);
}

void checkProtocol() {
    const auto folder = fs::temp_directory_path() / ("sw-cuda-protocol-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    const auto cpu = evaluateOn("cpu", folder);
    const auto gpu = evaluateOn("cuda", folder);
    fs::remove_all(folder);
    report("evaluation precision recorded as fp32 (1 = not)", gpu["precision"] == "fp32" ? 0.0 : 1.0, 0.0,
           "the evaluation JSON says how its maps were computed");
    const double n = cpu["n_total"].get<double>();
    report("accuracy, |cpu - cuda|", std::abs(cpu["summary"]["accuracy"].get<double>() - gpu["summary"]["accuracy"].get<double>()), 1.0 / n,
           "one image of " + std::to_string(int(n)) + ": a borderline prediction may flip under rounding");
    // The measures are means over the scored images: they agree when the difference is inside the CPU run's own
    // 95 % interval, i.e. smaller than the sampling noise a reader already accepts.
    for (const char* measure : {"sparseness", "ris", "ros"}) {
        const auto& a = cpu["summary"][measure];
        const auto& b = gpu["summary"][measure];
        const double width = a["ci95"][1].get<double>() - a["ci95"][0].get<double>();
        report(std::string(measure) + " mean, |cpu - cuda|", std::abs(a["mean"].get<double>() - b["mean"].get<double>()), width,
               "the width of the CPU mean's 95 % interval");
    }
}

struct TrainingRun {
    std::vector<double> losses;
    int64_t stepsDone = 0;
    sw::Outcome outcome = sw::Outcome::Completed;
    double testAccuracy = 0.0;
    int64_t testImages = 0;
};

struct TrainingVariant {
    bool oneThread = false;
    bool lastBitWeights = false;
};

/// Trains the paper's LeNet (PGD-3, Gaussian block) from the same seed; one loss per step. With a checkpoint
/// path it writes checkpoints there; with `resumeFrom` it continues one.
TrainingRun train(torch::Device device, int64_t steps, const fs::path& checkpoint = {}, const fs::path& resumeFrom = {},
                  const std::function<void(sw::Feedback&, int64_t)>& afterStep = {}, TrainingVariant variant = {}) {
    const auto data = sw::loadDataset(sw::DatasetSpec::parse("fmnist:" + kSubset + ":train"), sw::DatasetLoadOptions{"train"});
    sw::ModelDescription description = sw::loadModel(kModel)->description();
    torch::manual_seed(0);
    sw::Classifier network(description);
    if (variant.lastBitWeights) {
        sw::NativeClassifier view(network);
        moveWeightsByOneUlp(view);
    }
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
    const int threads = at::get_num_threads();
    if (variant.oneThread) at::set_num_threads(1);
    sw::Trainer trainer(network, recipe, options);
    if (!resumeFrom.empty()) trainer.resumeFrom(resumeFrom);
    try {
        trainer.run(data, &feedback);
        run.outcome = sw::Outcome::Completed;
    } catch (const sw::Cancelled&) {
        run.outcome = sw::Outcome::Cancelled;
    }
    at::set_num_threads(threads);
    run.stepsDone = trainer.globalStep();
    if (run.outcome == sw::Outcome::Completed) {
        // The finished model's quality, measured the same way (on the CPU, fp32) whichever device trained it.
        auto trained = trainer.network();
        trained->to(kCpu);
        sw::NativeClassifier model(trained);
        sw::AccuracyOptions accuracy;
        accuracy.limit = 1000;
        const auto report = sw::evaluateAccuracy(model, testImages(1000), accuracy, nullptr);
        run.testAccuracy = report.accuracy;
        run.testImages = report.count;
    }
    return run;
}

double maxLossDifference(const TrainingRun& a, const TrainingRun& b, size_t from = 0) {
    double worst = 0.0;
    for (size_t step = from; step < std::min(a.losses.size(), b.losses.size()); ++step)
        worst = std::max(worst, std::abs(a.losses[step] - b.losses[step]));
    return worst;
}

/// Mean loss over the last `count` steps: the level a run has reached, less noisy than its last step.
double finalLossLevel(const TrainingRun& run, size_t count = 20) {
    double sum = 0.0;
    for (size_t i = run.losses.size() - count; i < run.losses.size(); ++i) sum += run.losses[i];
    return sum / double(count);
}

void checkTraining() {
    sw::setDeterministic(true);
    const int64_t steps = 50;
    const auto cpu = train(kCpu, steps);
    RoundingNoise noise;
    noise.oneThread = maxLossDifference(train(kCpu, steps, {}, {}, {}, {true, false}), cpu);
    noise.lastBit = maxLossDifference(train(kCpu, steps, {}, {}, {}, {false, true}), cpu);
    noise.floor = 1e-6;
    const auto gpu = train(kGpu, steps);
    if (cpu.losses.size() != size_t(steps) || gpu.losses.size() != size_t(steps)) throw std::runtime_error("expected one loss per step");
    report("training, 50 PGD-3 steps, max |loss cpu - loss cuda|", maxLossDifference(gpu, cpu), noise.bound(), noise.why());
}

void checkCancel() {
    std::atomic<int64_t> cancelledAt{-1};
    const auto run = train(kGpu, 200, {}, {}, [&](sw::Feedback& feedback, int64_t step) {
        if (step == 5) {
            cancelledAt = step;
            feedback.cancel();
        }
    });
    report("cancel on CUDA, steps past the request", double(run.stepsDone - cancelledAt), 1.0,
           "cancel is polled every batch: at most the batch under way finishes");
    report("cancel on CUDA reported as cancelled (1 = not)", run.outcome == sw::Outcome::Cancelled ? 0.0 : 1.0, 0.0,
           "cancel is an outcome");
}

/// A checkpoint saved on one device resumes on the other and finishes as a run of the same quality: its final
/// loss level and test accuracy lie within the spread of CPU runs that differ only in rounding.
void checkCheckpointAcrossDevices() {
    sw::setDeterministic(true);
    const auto folder = fs::temp_directory_path() / ("sw-cuda-checkpoint-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    const int64_t steps = 300, switchAt = 150;
    const auto whole = train(kCpu, steps);
    double lossSpread = 0.0, accuracySpread = 0.0;
    for (const TrainingVariant variant : {TrainingVariant{true, false}, TrainingVariant{false, true}}) {
        const auto other = train(kCpu, steps, {}, {}, {}, variant);
        lossSpread = std::max(lossSpread, std::abs(finalLossLevel(other) - finalLossLevel(whole)));
        accuracySpread = std::max(accuracySpread, std::abs(other.testAccuracy - whole.testAccuracy));
    }
    for (const auto& [first, second] : {std::pair{kCpu, kGpu}, std::pair{kGpu, kCpu}}) {
        const auto checkpoint = folder / ("run-" + first.str() + ".ckpt");
        // The first part is the whole run stopped after `switchAt`, so its learning-rate schedule is the same.
        train(first, steps, checkpoint, {}, [&](sw::Feedback& feedback, int64_t step) {
            if (step == switchAt) feedback.cancel();
        });
        const auto resumed = train(second, steps, checkpoint, checkpoint);
        const std::string name = "checkpoint " + first.str() + " -> " + second.str();
        if (resumed.losses.size() != size_t(steps - switchAt)) throw std::runtime_error(name + ": resumed a different number of steps");
        TrainingRun joined = resumed;
        joined.losses.insert(joined.losses.begin(), whole.losses.begin(), whole.losses.begin() + switchAt);
        char why[160];
        std::snprintf(why, sizeof why, "2 x the spread of CPU runs differing in rounding only (%.3g), or 1 test image", accuracySpread);
        report(name + ", final test accuracy vs an uninterrupted CPU run", std::abs(resumed.testAccuracy - whole.testAccuracy),
               std::max(2.0 * accuracySpread, 1.0 / double(whole.testImages)), why);
        std::snprintf(why, sizeof why, "2 x the spread of CPU runs differing in rounding only (%.3g), or 1e-4", lossSpread);
        report(name + ", mean loss of the last 20 steps vs an uninterrupted CPU run",
               std::abs(finalLossLevel(joined) - finalLossLevel(whole)), std::max(2.0 * lossSpread, 1e-4), why);
    }
    fs::remove_all(folder);
}

/// The CPU side alone (no GPU needed): the rounding noise every bound above is built from, for the docs.
void printBaselines() {
    const auto data = testImages(64);
    const auto pixels = pixelsOf(data);
    auto cpu = sw::loadModel(kModel);
    const auto logits = logitsOf(*cpu, pixels);
    const auto logitNoise = roundingNoise([&](sw::ImageClassifier& model) { return logitsOf(model, pixels); }, logits,
                                          maxAbsoluteDifference, 1e-7 * logits.abs().max().item<double>());
    std::printf("baseline logits: %s\n", logitNoise.why().c_str());
    for (const char* method : {"vg", "ig"}) {
        sw::SaliencyConfig config;
        config.method = method;
        const auto targets = sw::SaliencyExplainer(*cpu, config).resolveTargets(pixels, data.labels);
        const auto reference = mapsOf(*cpu, config, pixels, targets);
        const auto noise = roundingNoise([&](sw::ImageClassifier& model) { return mapsOf(model, config, pixels, targets); }, reference,
                                         mapDifference, 1e-7);
        std::printf("baseline %s maps: %s\n", method, noise.why().c_str());
    }
    const auto whole = train(kCpu, 50);
    std::printf("baseline training, 50 steps: 1 thread %.3g, last-bit weights %.3g\n",
                maxLossDifference(train(kCpu, 50, {}, {}, {}, {true, false}), whole),
                maxLossDifference(train(kCpu, 50, {}, {}, {}, {false, true}), whole));
}

const std::map<std::string, std::function<void()>> kChecks = {
    {"logits", checkLogits},     {"maps", checkMaps},     {"precision", checkPrecisionPolicy},          {"protocol", checkProtocol},
    {"training", checkTraining}, {"cancel", checkCancel}, {"checkpoint", checkCheckpointAcrossDevices},
};

}  // namespace

int main(int argc, char** argv) {
    const std::string check = argc == 2 ? argv[1] : "";
    if (!kChecks.count(check) && check != "baselines") {
        std::fprintf(stderr, "usage: %s logits|maps|precision|protocol|training|cancel|checkpoint|baselines\n", argv[0]);
        return 2;
    }
    sw::prepareCpuCompute(0);
    sw::resolveDevice("cpu");  // the process's precision default, as every job has it
    if (check == "baselines") {
        printBaselines();
        return 0;
    }
    const auto system = sw::querySystemInfo();
    if (!system.cudaAvailable) {
        std::printf("SKIPPED: %s\n", system.cudaCompiledIn ? "this LibTorch has CUDA, but no GPU or NVIDIA driver is visible"
                                                           : "this LibTorch was built without CUDA");
        return kSkipped;
    }
    std::printf("%s", sw::describeSystem(system).c_str());
    try {
        kChecks.at(check)();
    } catch (const std::exception& error) {
        std::printf("FAILED with an exception: %s\n", error.what());
        return 1;
    }
    if (!g_failures.empty()) {
        std::printf("FAILED: %zu of the measured values exceed their bounds\n", g_failures.size());
        return 1;
    }
    std::printf("passed\n");
    return 0;
}
