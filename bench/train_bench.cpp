// Training throughput through the core Trainer, the same workloads as bench/train_reference.py. Modes:
//   natural       the paper's LeNet on Fashion-MNIST, batch 32, Adam 1e-3
//   pgd7          the same with PGD-7 adversarial examples (ε = 0.1, step 0.01), Adam 1e-4
//   wrn-28-10     WRN-28-10 on synthetic CIFAR-10-shaped data (3×32×32, random labels, seed 0), batch 128,
//                 SGD lr 0.1, momentum 0.9, Nesterov, weight decay 5e-4 (the authors' CIFAR recipe, natural)
//   resnet18-224  ImageNet ResNet-18 on synthetic 3×224×224 data, batch 64, the same SGD
// Each mode first trains --warmup-steps steps that are not timed. Prints one JSON line per mode.
//   train_bench [--device auto|cpu|cuda|cuda:N] [--modes natural,pgd7,wrn-28-10,resnet18-224] [--threads T]
//               [--natural-steps N] [--pgd-steps N] [--arch-steps N] [--warmup-steps N] [--data DIR]
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <torch/cuda.h>
#include <torch/types.h>

#include "data/DatasetLoader.h"
#include "models/NativeClassifier.h"
#include "train/Evaluation.h"
#include "train/Trainer.h"
#include "util/ComputeDevice.h"
#include "util/ListParsing.h"
#include "util/SystemInfo.h"

using namespace sw;

namespace {

struct BenchOptions {
    std::string device = "auto";
    std::vector<std::string> modes{"natural", "pgd7"};
    int threads = 2;
    int64_t naturalSteps = 1875;
    int64_t pgdSteps = 300;
    int64_t architectureSteps = 20;
    int64_t warmupSteps = 3;
    std::string data = kDebianFashionMnistDir;
};

/// An architecture mode: the network, its input and the batch it trains on.
struct ArchitectureMode {
    const char* name;
    const char* arch;
    std::array<int64_t, 3> inputShape;
    int64_t batchSize;
};

const ArchitectureMode kArchitectureModes[] = {
    {"wrn-28-10", "wrn-28-10", {3, 32, 32}, 128},
    {"resnet18-224", "resnet18-imagenet", {3, 224, 224}, 64},
};

/// The synthetic training set is this many batches, visited in a new order every epoch like any dataset.
constexpr int64_t kSyntheticBatches = 4;
constexpr int64_t kSyntheticClasses = 10;  // CIFAR-10 and Imagenette

struct Timing {
    double seconds = 0.0;
    int64_t examples = 0;
};

const ArchitectureMode* findArchitectureMode(const std::string& name) {
    for (const auto& mode : kArchitectureModes) {
        if (name == mode.name) return &mode;
    }
    return nullptr;
}

/// Waits until every kernel queued on `device` has finished, so a clock read afterwards includes them.
void waitForDevice(torch::Device device) {
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

/// Training examples in global steps [first, last) of epochs of `sampleCount` samples in batches of `batchSize`
/// (the last batch of an epoch may be short).
int64_t examplesInSteps(int64_t sampleCount, int64_t batchSize, int64_t first, int64_t last) {
    const int64_t stepsPerEpoch = (sampleCount + batchSize - 1) / batchSize;
    int64_t examples = 0;
    for (int64_t step = first; step < last; ++step) {
        examples += std::min(batchSize, sampleCount - (step % stepsPerEpoch) * batchSize);
    }
    return examples;
}

/// Trains `network` through the core Trainer for warmupSteps + steps steps and times the last `steps`: the
/// warm-up loads the kernels, lets cuDNN choose its algorithms and fills the allocators' caches.
Timing trainAndTime(Classifier network, TrainRecipe recipe, const Dataset& data, torch::Device device, int64_t steps, int64_t warmupSteps) {
    using Clock = std::chrono::steady_clock;
    recipe.maxSteps = warmupSteps + steps;
    TrainerOptions options;
    options.device = device;
    std::optional<Clock::time_point> timedFrom;
    if (warmupSteps > 0) {
        // The observer is the only hook inside Trainer::run; it is called every reportEverySteps steps, so the
        // first call comes right after the warm-up. A report costs microseconds.
        options.reportEverySteps = warmupSteps;
        options.observer = [&](const TrainProgress& progress) {
            if (!timedFrom && progress.step >= warmupSteps) {
                waitForDevice(device);
                timedFrom = Clock::now();
            }
        };
    } else {
        options.reportEverySteps = 1000000;  // as the reference: no per-window work beyond the loss read
    }
    Trainer trainer(network, recipe, options);
    Feedback feedback;
    if (warmupSteps == 0) {
        waitForDevice(device);
        timedFrom = Clock::now();
    }
    trainer.run(data, &feedback);
    waitForDevice(device);
    Timing timing;
    timing.seconds = std::chrono::duration<double>(Clock::now() - *timedFrom).count();
    timing.examples = examplesInSteps(data.size(), std::min(recipe.batchSize, data.size()), warmupSteps, warmupSteps + steps);
    return timing;
}

void printResult(const std::string& mode, torch::Device device, int64_t batchSize, int64_t steps, const Timing& timing,
                 std::optional<double> testAccuracy) {
    std::printf(
        "{\"mode\": \"%s\", \"device\": \"%s\", \"batch_size\": %lld, \"steps\": %lld, \"seconds\": %.4f, "
        "\"examples_per_second\": %.1f, \"steps_per_second\": %.3f",
        mode.c_str(), device.str().c_str(), static_cast<long long>(batchSize), static_cast<long long>(steps), timing.seconds,
        double(timing.examples) / timing.seconds, double(steps) / timing.seconds);
    if (testAccuracy) std::printf(", \"test_accuracy\": %.4f", *testAccuracy);
    std::printf("}\n");
    std::fflush(stdout);
}

void runLeNetMode(const std::string& mode, const Dataset& train, const Dataset& test, int64_t steps, int64_t warmupSteps,
                  torch::Device device) {
    ModelDescription description;
    description.arch = "lenet";
    description.classes = train.classNames;
    description.normalizationMean = {0.2860};
    description.normalizationStd = {0.3530};
    torch::manual_seed(0);
    Classifier network(description);
    TrainRecipe recipe;
    recipe.schedule = "constant";
    recipe.batchSize = 32;
    recipe.learningRate = 1e-3;
    if (mode == "pgd7") {
        recipe.learningRate = 1e-4;
        recipe.adversarial.kind = "pgd";
        recipe.adversarial.epsilon = 0.1;
        recipe.adversarial.steps = 7;
        recipe.adversarial.stepSize = 0.01;
    }
    const auto timing = trainAndTime(network, recipe, train, device, steps, warmupSteps);
    NativeClassifier model(network);
    AccuracyOptions accuracy;
    accuracy.batchSize = 10000;
    const auto report = evaluateAccuracy(model, test, accuracy);
    printResult(mode, device, recipe.batchSize, steps, timing, report.accuracy);
}

/// Random uint8 pixels and labels from the global generator seeded 0, in the order bench/train_reference.py
/// draws them (reference_architectures.synthetic_batches), so both sides train on the same pixels.
Dataset syntheticDataset(const std::array<int64_t, 3>& shape, int64_t batchSize) {
    torch::manual_seed(0);
    const int64_t count = kSyntheticBatches * batchSize;
    Dataset data;
    data.spec = "synthetic";
    data.images = torch::randint(0, 256, {count, shape[0], shape[1], shape[2]}, torch::kUInt8);
    data.labels = torch::randint(0, kSyntheticClasses, {count}, torch::kInt64);
    for (int64_t label = 0; label < kSyntheticClasses; ++label) data.classNames.push_back(std::to_string(label));
    return data;
}

void runArchitectureMode(const ArchitectureMode& mode, int64_t steps, int64_t warmupSteps, torch::Device device) {
    const auto data = syntheticDataset(mode.inputShape, mode.batchSize);
    ModelDescription description;
    description.arch = mode.arch;
    description.inputShape = mode.inputShape;
    description.classes = data.classNames;
    // Our classifier starts with (x − mean) / std; the plain-PyTorch peer takes the [0, 1] pixels as they are.
    // One element-wise pass over the input, negligible next to the convolutions.
    setDefaultNormalization(description, mode.inputShape[1] == 32 ? "cifar10" : "imagefolder");
    Classifier network(description);
    TrainRecipe recipe;
    recipe.optimizer = "sgd";
    recipe.learningRate = 0.1;
    recipe.momentum = 0.9;
    recipe.nesterov = true;
    recipe.weightDecay = 5e-4;
    recipe.schedule = "constant";
    recipe.batchSize = mode.batchSize;
    const auto timing = trainAndTime(network, recipe, data, device, steps, warmupSteps);
    printResult(mode.name, device, mode.batchSize, steps, timing, std::nullopt);
}

int usage(const std::string& problem) {
    std::fprintf(stderr,
                 "train_bench: %s\nusage: train_bench [--device auto|cpu|cuda|cuda:N] [--modes natural,pgd7,wrn-28-10,"
                 "resnet18-224] [--threads T] [--natural-steps N] [--pgd-steps N] [--arch-steps N] [--warmup-steps N] "
                 "[--data DIR]\n",
                 problem.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    BenchOptions options;
    try {
        for (int i = 1; i < argc; i += 2) {
            const std::string flag = argv[i];
            if (i + 1 >= argc) return usage(flag + " needs a value");
            const std::string value = argv[i + 1];
            if (flag == "--device")
                options.device = value;
            else if (flag == "--modes")
                options.modes = splitCommaList(value);
            else if (flag == "--threads")
                options.threads = std::stoi(value);
            else if (flag == "--natural-steps")
                options.naturalSteps = std::stoll(value);
            else if (flag == "--pgd-steps")
                options.pgdSteps = std::stoll(value);
            else if (flag == "--arch-steps")
                options.architectureSteps = std::stoll(value);
            else if (flag == "--warmup-steps")
                options.warmupSteps = std::stoll(value);
            else if (flag == "--data")
                options.data = value;
            else
                return usage("unknown option " + flag);
        }
    } catch (const std::exception&) {
        return usage("a number was expected");
    }
    if (std::min({options.naturalSteps, options.pgdSteps, options.architectureSteps}) < 1 || options.warmupSteps < 0) {
        return usage("step counts must be at least 1 (warm-up at least 0)");
    }
    bool needFashionMnist = false;
    for (const auto& mode : options.modes) {
        if (mode == "natural" || mode == "pgd7")
            needFashionMnist = true;
        else if (!findArchitectureMode(mode))
            return usage("unknown mode " + mode);
    }
    torch::Device device(torch::kCPU);
    Dataset train, test;
    try {
        prepareCpuCompute(options.threads);
        // The program's default (saliency-cli without --deterministic): cuDNN times its algorithms for each shape.
        setDeterministic(false);
        device = resolveDevice(options.device);
        if (needFashionMnist) {
            DatasetLoadOptions load;
            load.defaultSplit = "train";
            train = loadDataset(DatasetSpec::parse("fmnist:" + options.data + ":train"), load);
            test = loadDataset(DatasetSpec::parse("fmnist:" + options.data + ":test"), load);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "train_bench: %s\n", error.what());
        return 1;
    }
    int status = 0;
    for (const auto& mode : options.modes) {
        // One mode failing (out of GPU memory, a diverged loss) leaves the others' figures worth having.
        try {
            if (mode == "natural" || mode == "pgd7") {
                const int64_t steps = mode == "natural" ? options.naturalSteps : options.pgdSteps;
                runLeNetMode(mode, train, test, steps, options.warmupSteps, device);
            } else {
                const auto& architecture = *findArchitectureMode(mode);
                runArchitectureMode(architecture, options.architectureSteps, options.warmupSteps, device);
            }
        } catch (const std::exception& error) {
            std::fprintf(stderr, "train_bench: %s: %s\n", mode.c_str(), error.what());
            status = 1;
        }
    }
    return status;
}
