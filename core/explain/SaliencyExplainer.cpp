#include "explain/SaliencyExplainer.h"

#include <cmath>

#include <torch/autograd.h>
#include <torch/nn/functional/padding.h>

#include "explain/AttributionTask.h"
#include "explain/SaliencyMethods.h"
#include "util/Feedback.h"
#include "util/InputError.h"

namespace sw {

SaliencyExplainer::SaliencyExplainer(ImageClassifier& model, SaliencyConfig config) : m_model(model), m_config(std::move(config)) {
    m_config.validate();
    // Refused before any work, saying what the model lacks.
    if (const auto unmet = unmetModelNeeds(m_model, m_config.method); !unmet.empty())
        throw InputError("--method " + m_config.method, unmet);
    if ((saliencyMethod(m_config.method).needs & kNeedsFeatureLayer) && m_config.camLayer.empty()) {
        m_config.camLayer = m_model.defaultFeatureLayer();
    }
}

std::string unmetModelNeeds(ImageClassifier& model, const std::string& method) {
    const auto& known = saliencyMethod(method);
    if ((known.needs & kNeedsNativeLayers) && !model.hasNativeLayers()) {
        return known.name + " needs a model built by this program: a TorchScript file's layers are compiled, so no rule can reach them";
    }
    if ((known.needs & kNeedsFeatureLayer) && model.defaultFeatureLayer().empty()) {
        return known.name + " needs a convolutional feature layer, and this model has none (saliency-cli info lists its layers)";
    }
    if ((known.needs & kNeedsReluRules) && !model.hasReplaceableRelus()) {
        return known.name + " replaces the model's ReLUs, and this model's forward calls none (aten::relu)";
    }
    return "";
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

torch::Tensor SaliencyExplainer::inputGradients(const torch::Tensor& inputs, const torch::Tensor& targets, Feedback* feedback) {
    m_model.setTrainingMode(false);
    AttributionTask task{m_model, m_config, inputs, targets, feedback};
    return sw::inputGradients(task, inputs, targets);
}

torch::Tensor SaliencyExplainer::attribute(const torch::Tensor& input, const torch::Tensor& targets, Feedback* feedback) {
    TORCH_CHECK(input.dim() == 4, "expected NCHW pixels, got ", input.dim(), "D");
    m_model.setTrainingMode(false);
    // Keeps float64 inputs as they are (finite-difference checks); anything else becomes float32.
    auto pixels = input.to(m_model.device()).detach();
    if (pixels.scalar_type() != torch::kFloat64) pixels = pixels.to(torch::kFloat32);
    AttributionTask task{m_model, m_config, pixels, targets.to(m_model.device()), feedback, m_noiseCalls};
    const auto& method = saliencyMethod(m_config.method);
    if (method.noiseBased) ++m_noiseCalls;
    method.attribute(task);
    return task.attributions;
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
