#include "explain/GradientMethods.h"

#include <cstdio>

#include "data/BatchSampler.h"
#include "explain/AttributionTask.h"
#include "explain/IntegrationRule.h"
#include "explain/SaliencyExplainer.h"

namespace sw {

namespace {

constexpr uint64_t kSmoothGradStream = 3ull << 40;
constexpr uint64_t kBaselineStream = 4ull << 40;

torch::Tensor baselineFor(const SaliencyConfig& config, const torch::Tensor& pixels) {
    if (config.baseline == "blur") return gaussianBlur(pixels, config.baselineBlurSigma);
    if (config.baseline == "uniform") {
        auto generator = makeGenerator(config.seed, kBaselineStream);
        return torch::rand(pixels.sizes(), generator).to(pixels.device());
    }
    return torch::zeros_like(pixels);  // zero and black are the same in [0, 1] pixel space
}

/// SmoothGrad's and VarGrad's samples: the sum and the sum of squares of the (absolute) noisy gradients.
std::pair<torch::Tensor, torch::Tensor> noisyGradientMoments(AttributionTask& task) {
    const auto& pixels = task.pixels;
    const int64_t samples = task.config.sgSamples;
    auto generator = makeGenerator(task.config.seed, kSmoothGradStream + task.noiseDraw);
    auto sum = torch::zeros_like(pixels), sumOfSquares = torch::zeros_like(pixels);
    forEachChunk(task, pixels.size(0) * samples, task.config.maxBatch, [&](int64_t begin, int64_t end) {
        const auto row = torch::arange(begin, end, torch::TensorOptions().dtype(torch::kInt64).device(pixels.device()));
        const auto image = row.div(samples, "floor");
        const auto noise = torch::randn({end - begin, pixels.size(1), pixels.size(2), pixels.size(3)}, generator).to(pixels.options()) *
                           task.config.sgSigma;
        auto gradients = inputGradients(task, pixels.index_select(0, image) + noise, task.targets.index_select(0, image));
        if (task.config.absolute) gradients = gradients.abs();
        sum.index_add_(0, image, gradients);
        sumOfSquares.index_add_(0, image, gradients * gradients);
    });
    return {sum, sumOfSquares};
}

}  // namespace

void attributeVanillaGradient(AttributionTask& task) {
    const auto gradients = inputGradients(task, task.pixels, task.targets);
    task.attributions = task.config.absolute ? gradients.abs() : gradients;
}

void attributeGradientTimesInput(AttributionTask& task) {
    task.attributions = task.pixels * inputGradients(task, task.pixels, task.targets);
}

void attributeIntegratedGradients(AttributionTask& task) {
    const auto& pixels = task.pixels;
    const auto rule = makeIntegrationRule(task.config.igRule, task.config.igSteps);
    const int64_t steps = task.config.igSteps;
    const auto baseline = baselineFor(task.config, pixels);
    const auto difference = pixels - baseline;
    const auto alphas = torch::tensor(rule.alphas, torch::kFloat64).to(pixels.options());
    const auto weights = torch::tensor(rule.weights, torch::kFloat64).to(pixels.options());
    auto accumulated = torch::zeros_like(pixels);
    // Rows enumerate (image, step) pairs; a chunk of rows is one forward/backward pass.
    forEachChunk(task, pixels.size(0) * steps, task.config.maxBatch, [&](int64_t begin, int64_t end) {
        const auto row = torch::arange(begin, end, torch::TensorOptions().dtype(torch::kInt64).device(pixels.device()));
        const auto image = row.div(steps, "floor");
        const auto step = row.remainder(steps);
        const auto shape = std::vector<int64_t>{-1, 1, 1, 1};
        const auto inputs = baseline.index_select(0, image) + alphas.index_select(0, step).view(shape) * difference.index_select(0, image);
        const auto gradients = inputGradients(task, inputs, task.targets.index_select(0, image));
        accumulated.index_add_(0, image, gradients * weights.index_select(0, step).view(shape));
    });
    task.attributions = difference * accumulated;
}

void attributeSmoothGrad(AttributionTask& task) { task.attributions = noisyGradientMoments(task).first / double(task.config.sgSamples); }

void attributeVarGrad(AttributionTask& task) {
    const auto [sum, sumOfSquares] = noisyGradientMoments(task);
    const auto mean = sum / double(task.config.sgSamples);
    task.attributions = sumOfSquares / double(task.config.sgSamples) - mean * mean;
}

std::string describeVanillaGradient(const SaliencyConfig& config) {
    return std::string("Vanilla Gradient: ") + (config.absolute ? "|∂f/∂x|" : "∂f/∂x");
}

std::string describeGradientTimesInput(const SaliencyConfig&) { return "Gradient × Input: x · ∂f/∂x"; }

std::string describeIntegratedGradients(const SaliencyConfig& config) {
    const std::string rule = config.igRule == "gausslegendre" ? "Gauss–Legendre" : config.igRule;
    const std::string baseline = config.baseline == "zero" || config.baseline == "black" ? "a black" : "a " + config.baseline;
    char text[256];
    std::snprintf(text, sizeof text, "Integrated Gradients: %lld %s steps from %s baseline", static_cast<long long>(config.igSteps),
                  rule.c_str(), baseline.c_str());
    return text;
}

std::string describeNoiseTunnel(const SaliencyConfig& config) {
    const bool variance = config.method == "vargrad";
    char text[256];
    std::snprintf(text, sizeof text, "%s: %s of %lld noisy %sgradients, noise N(0, %g²) in pixel units",
                  variance ? "VarGrad" : "SmoothGrad", variance ? "variance" : "mean", static_cast<long long>(config.sgSamples),
                  config.absolute ? "absolute " : "", config.sgSigma);
    return text;
}

}  // namespace sw
