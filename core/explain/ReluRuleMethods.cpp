#include "explain/ReluRuleMethods.h"

#include <torch/autograd.h>

#include "explain/AttributionTask.h"
#include "models/Activation.h"

namespace sw {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// ReLU whose backward passes only positive gradients to positive inputs (Springenberg et al. 2015).
class GuidedRelu : public torch::autograd::Function<GuidedRelu> {
public:
    static torch::Tensor forward(AutogradContext* context, const torch::Tensor& z) {
        context->save_for_backward({z});
        return torch::relu(z);
    }
    static tensor_list backward(AutogradContext* context, tensor_list gradients) {
        const auto z = context->get_saved_variables()[0];
        return {torch::relu(gradients[0]) * (z > 0).to(gradients[0].dtype())};
    }
};

/// DeepLIFT's rescale rule on a batch that stacks the inputs over their baselines (row i pairs with row i + M):
/// the multiplier Δrelu/Δz, or the ordinary derivative where Δz is below Captum's eps = 1e-10.
class RescaleRelu : public torch::autograd::Function<RescaleRelu> {
public:
    static torch::Tensor forward(AutogradContext* context, const torch::Tensor& z) {
        context->save_for_backward({z});
        return torch::relu(z);
    }
    static tensor_list backward(AutogradContext* context, tensor_list gradients) {
        const auto z = context->get_saved_variables()[0];
        const auto half = z.size(0) / 2;
        const auto input = z.slice(0, 0, half), reference = z.slice(0, half);
        const auto delta = input - reference;
        const auto tiny = delta.abs() < 1e-10;
        const auto rescaled = (torch::relu(input) - torch::relu(reference)) / torch::where(tiny, torch::ones_like(delta), delta);
        const auto multiplier = torch::where(tiny, (input > 0).to(z.dtype()), rescaled);
        return {gradients[0] * torch::cat({multiplier, multiplier})};
    }
};

torch::Tensor guidedRelu(const torch::Tensor& z) { return GuidedRelu::apply(z); }
torch::Tensor rescaleRelu(const torch::Tensor& z) { return RescaleRelu::apply(z); }

}  // namespace

void guidedBackpropInto(AttributionTask& task) {
    const ReluOverride guided(guidedRelu);
    std::vector<torch::Tensor> parts;
    forEachChunk(task, task.pixels.size(0), task.config.maxBatch, [&](int64_t begin, int64_t end) {
        auto x = task.pixels.slice(0, begin, end).detach().requires_grad_(true);
        const auto score = targetScores(task.model.logitsWithReluOverride(x), task.targets.slice(0, begin, end));
        parts.push_back(torch::autograd::grad({score}, {x})[0]);
    });
    task.attributions = torch::cat(parts);
}

void attributeGuidedBackprop(AttributionTask& task) { guidedBackpropInto(task); }

void attributeDeepLift(AttributionTask& task) {
    const ReluOverride rescale(rescaleRelu);
    std::vector<torch::Tensor> parts;
    // Each pass stacks a chunk over its baselines, so a chunk is half the batch bound.
    forEachChunk(task, task.pixels.size(0), task.config.maxBatch / 2, [&](int64_t begin, int64_t end) {
        auto x = task.pixels.slice(0, begin, end).detach().requires_grad_(true);
        const auto baseline = torch::zeros_like(x);
        const auto logits = task.model.logitsWithReluOverride(torch::cat({x, baseline}));
        const auto score = targetScores(logits.slice(0, 0, end - begin), task.targets.slice(0, begin, end));
        parts.push_back((x.detach() - baseline) * torch::autograd::grad({score}, {x})[0]);
    });
    task.attributions = torch::cat(parts);
}

std::string describeGuidedBackprop(const SaliencyConfig&) {
    return "Guided Backprop: ∂f/∂x with only positive gradients through each ReLU";
}

std::string describeDeepLift(const SaliencyConfig&) { return "DeepLIFT (rescale rule): contributions relative to a black image"; }

}  // namespace sw
