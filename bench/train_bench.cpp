// Training throughput of the paper's LeNet on Fashion-MNIST through the core Trainer, natural and PGD-7,
// the same workload as bench/train_reference.py. Prints one JSON line per mode.
//   train_bench [--threads T] [--natural-steps N] [--pgd-steps N] [--data DIR]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include <torch/types.h>

#include "data/DatasetLoader.h"
#include "models/NativeClassifier.h"
#include "train/Evaluation.h"
#include "train/Trainer.h"
#include "util/ComputeDevice.h"

using namespace sw;

namespace {

struct BenchOptions {
    int threads = 2;
    int64_t naturalSteps = 1875;
    int64_t pgdSteps = 300;
    std::string data = kDebianFashionMnistDir;
};

void runMode(const char* mode, const Dataset& train, const Dataset& test, int64_t steps) {
    ModelDescription description;
    description.arch = "lenet";
    description.classes = train.classNames;
    description.normalizationMean = {0.2860};
    description.normalizationStd = {0.3530};
    torch::manual_seed(0);
    Classifier network(description);
    TrainRecipe recipe;
    recipe.schedule = "constant";
    recipe.maxSteps = steps;
    recipe.batchSize = 32;
    recipe.learningRate = 1e-3;
    if (std::strcmp(mode, "pgd7") == 0) {
        recipe.learningRate = 1e-4;
        recipe.adversarial.kind = "pgd";
        recipe.adversarial.epsilon = 0.1;
        recipe.adversarial.steps = 7;
        recipe.adversarial.stepSize = 0.01;
    }
    TrainerOptions options;
    options.reportEverySteps = 1000000;  // as the reference: no per-window work beyond the loss read
    Trainer trainer(network, recipe, options);
    Feedback feedback;
    const auto started = std::chrono::steady_clock::now();
    trainer.run(train, feedback);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    NativeClassifier model(network);
    AccuracyOptions accuracy;
    accuracy.batchSize = 10000;
    const auto report = evaluateAccuracy(model, test, accuracy, feedback);
    std::printf("{\"mode\": \"%s\", \"examples_per_second\": %.1f, \"steps\": %lld, \"seconds\": %.3f, \"test_accuracy\": %.4f}\n",
                mode, double(steps * 32) / seconds, static_cast<long long>(steps), seconds, report.accuracy);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    BenchOptions options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--threads") options.threads = std::stoi(value);
        else if (flag == "--natural-steps") options.naturalSteps = std::stoll(value);
        else if (flag == "--pgd-steps") options.pgdSteps = std::stoll(value);
        else if (flag == "--data") options.data = value;
    }
    setComputeThreads(options.threads);
    DatasetLoadOptions load;
    load.defaultSplit = "train";
    const auto train = loadDataset(DatasetSpec::parse("fmnist:" + options.data + ":train"), load);
    const auto test = loadDataset(DatasetSpec::parse("fmnist:" + options.data + ":test"), load);
    runMode("natural", train, test, options.naturalSteps);
    runMode("pgd7", train, test, options.pgdSteps);
    return 0;
}
