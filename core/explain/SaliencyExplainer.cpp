#include "explain/SaliencyExplainer.h"

#include <cmath>

#include <torch/autograd.h>
#include <torch/nn/functional/padding.h>

#include "data/BatchSampler.h"
#include "explain/IntegrationRule.h"
#include "util/Feedback.h"
#include "util/InputError.h"

namespace sw {

namespace {
constexpr uint64_t kSmoothGradStream = 3ull << 40;
constexpr uint64_t kBaselineStream = 4ull << 40;
}  // namespace

SaliencyExplainer::SaliencyExplainer(ImageClassifier& model, SaliencyConfig config) : m_model(model), m_config(std::move(config)) {
    m_config.validate();
}

torch::Tensor SaliencyExplainer::resolveTargets(const torch::Tensor& pixels, const torch::Tensor& labels) {
    const auto device = m_model.device();
    const auto classCount = int64_t(m_model.description().classes.size());
    if (m_config.target == "pred") {
        torch::NoGradGuard noGrad;
        m_model.setTrainingMode(false);
        torch::Tensor predictions;
        std::vector<torch::Tensor> parts;
        for (int64_t begin = 0; begin < pixels.size(0); begin += m_config.maxBatch) {
            parts.push_back(m_model.logits(pixels.slice(0, begin, begin + m_config.maxBatch).to(device)).argmax(1));
        }
        return torch::cat(parts);
    }
    if (m_config.target == "label") {
        if (!labels.defined() || labels.numel() != pixels.size(0) || labels.min().item<int64_t>() < 0) {
            throw InputError("--target label", "some images have no label (single image files); use pred or a class index");
        }
        return labels.to(device);
    }
    int64_t index = -1;
    try {
        size_t used = 0;
        index = std::stoll(m_config.target, &used);
        if (used != m_config.target.size()) index = -1;
    } catch (const std::exception&) {}
    if (index < 0 || index >= classCount) {
        throw InputError("--target " + m_config.target, "expected pred, label or a class index 0.." + std::to_string(classCount - 1));
    }
    return torch::full({pixels.size(0)}, index, torch::TensorOptions().dtype(torch::kInt64).device(device));
}

torch::Tensor SaliencyExplainer::inputGradients(const torch::Tensor& inputs, const torch::Tensor& targets, const Feedback* feedback) {
    m_model.setTrainingMode(false);
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < inputs.size(0); begin += m_config.maxBatch) {
        throwIfCancelled(feedback);
        const auto end = std::min(inputs.size(0), begin + m_config.maxBatch);
        auto x = inputs.slice(0, begin, end).detach().requires_grad_(true);
        const auto logits = m_model.logits(x);
        const auto selected = logits.gather(1, targets.slice(0, begin, end).view({-1, 1})).sum();
        parts.push_back(torch::autograd::grad({selected}, {x})[0]);
    }
    return torch::cat(parts);
}

torch::Tensor SaliencyExplainer::baselineFor(const torch::Tensor& pixels) const {
    if (m_config.baseline == "blur") return gaussianBlur(pixels, m_config.baselineBlurSigma);
    if (m_config.baseline == "uniform") {
        auto generator = makeGenerator(m_config.seed, kBaselineStream);
        return torch::rand(pixels.sizes(), generator).to(pixels.device());
    }
    return torch::zeros_like(pixels);  // zero and black are the same in [0, 1] pixel space
}

torch::Tensor SaliencyExplainer::integratedGradients(const torch::Tensor& pixels, const torch::Tensor& targets, const Feedback* feedback) {
    const auto rule = makeIntegrationRule(m_config.igRule, m_config.igSteps);
    const int64_t steps = m_config.igSteps, count = pixels.size(0);
    const auto baseline = baselineFor(pixels);
    const auto difference = pixels - baseline;
    const auto options = pixels.options();
    const auto alphas = torch::tensor(rule.alphas, torch::kFloat64).to(options);
    const auto weights = torch::tensor(rule.weights, torch::kFloat64).to(options);
    auto accumulated = torch::zeros_like(pixels);
    // Rows enumerate (image, step) pairs; a chunk of rows is one forward/backward pass.
    const int64_t rows = count * steps;
    for (int64_t begin = 0; begin < rows; begin += m_config.maxBatch) {
        throwIfCancelled(feedback);
        const auto end = std::min(rows, begin + m_config.maxBatch);
        const auto row = torch::arange(begin, end, torch::TensorOptions().dtype(torch::kInt64).device(pixels.device()));
        const auto image = row.div(steps, "floor");
        const auto step = row.remainder(steps);
        const auto shape = std::vector<int64_t>{-1, 1, 1, 1};
        const auto inputs = baseline.index_select(0, image) + alphas.index_select(0, step).view(shape) * difference.index_select(0, image);
        const auto gradients = inputGradients(inputs, targets.index_select(0, image), feedback);
        accumulated.index_add_(0, image, gradients * weights.index_select(0, step).view(shape));
    }
    return difference * accumulated;
}

torch::Tensor SaliencyExplainer::noiseTunnel(const torch::Tensor& pixels, const torch::Tensor& targets, const Feedback* feedback) {
    const int64_t samples = m_config.sgSamples, count = pixels.size(0);
    auto generator = makeGenerator(m_config.seed, kSmoothGradStream + m_noiseCalls++);
    auto sum = torch::zeros_like(pixels), sumOfSquares = torch::zeros_like(pixels);
    const int64_t rows = count * samples;
    for (int64_t begin = 0; begin < rows; begin += m_config.maxBatch) {
        throwIfCancelled(feedback);
        const auto end = std::min(rows, begin + m_config.maxBatch);
        const auto row = torch::arange(begin, end, torch::TensorOptions().dtype(torch::kInt64).device(pixels.device()));
        const auto image = row.div(samples, "floor");
        const auto noise =
            torch::randn({end - begin, pixels.size(1), pixels.size(2), pixels.size(3)}, generator).to(pixels.options()) * m_config.sgSigma;
        auto gradients = inputGradients(pixels.index_select(0, image) + noise, targets.index_select(0, image), feedback);
        if (m_config.absolute) gradients = gradients.abs();
        sum.index_add_(0, image, gradients);
        sumOfSquares.index_add_(0, image, gradients * gradients);
    }
    const auto mean = sum / double(samples);
    if (m_config.method == "vargrad") return sumOfSquares / double(samples) - mean * mean;
    return mean;
}

torch::Tensor SaliencyExplainer::attribute(const torch::Tensor& input, const torch::Tensor& targets, const Feedback* feedback) {
    TORCH_CHECK(input.dim() == 4, "expected NCHW pixels, got ", input.dim(), "D");
    // Keeps float64 inputs as they are (finite-difference checks); anything else becomes float32.
    auto pixels = input.to(m_model.device()).detach();
    if (pixels.scalar_type() != torch::kFloat64) pixels = pixels.to(torch::kFloat32);
    const auto target = targets.to(m_model.device());
    if (m_config.method == "ig") return integratedGradients(pixels, target, feedback);
    if (m_config.method == "sg" || m_config.method == "vargrad") return noiseTunnel(pixels, target, feedback);
    const auto gradients = inputGradients(pixels, target, feedback);
    if (m_config.method == "gxi") return pixels * gradients;
    return m_config.absolute ? gradients.abs() : gradients;
}

torch::Tensor heatmapOf(const torch::Tensor& attributions, const std::string& reduction) {
    TORCH_CHECK(attributions.dim() == 4, "expected N×C×H×W attributions, got ", attributions.dim(), "D");
    if (reduction == "max") return std::get<0>(attributions.abs().max(1));
    if (reduction == "l2") return attributions.pow(2).sum(1).sqrt();
    return attributions.sum(1);
}

torch::Tensor gaussianBlur(const torch::Tensor& pixels, double sigma) {
    if (sigma <= 0.0) return pixels;
    const int64_t radius = std::max<int64_t>(1, int64_t(std::ceil(3.0 * sigma)));
    const auto offsets = torch::arange(-radius, radius + 1, torch::kFloat64);
    auto kernel = torch::exp(-(offsets * offsets) / (2.0 * sigma * sigma));
    kernel = (kernel / kernel.sum()).to(pixels.options());
    const auto channels = pixels.size(1);
    namespace F = torch::nn::functional;
    auto x = F::pad(pixels, F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReplicate));
    const std::vector<int64_t> one{1, 1}, zero{0, 0};
    x = torch::conv2d(x, kernel.view({1, 1, 1, -1}).expand({channels, 1, 1, 2 * radius + 1}), torch::Tensor(), one, zero, one, channels);
    return torch::conv2d(x, kernel.view({1, 1, -1, 1}).expand({channels, 1, 2 * radius + 1, 1}), torch::Tensor(), one, zero, one, channels);
}

}  // namespace sw
