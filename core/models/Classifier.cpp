#include "models/Classifier.h"

#include <algorithm>
#include <set>

#include <torch/nn/module.h>
#include <torch/utils.h>

#include "util/InputError.h"

namespace sw {

ClassifierImpl::ClassifierImpl(ModelDescription description) : m_description(std::move(description)) {
    const auto channels = m_description.inputShape[0];
    auto& mean = m_description.normalizationMean;
    auto& std = m_description.normalizationStd;
    if (mean.empty()) mean.assign(size_t(channels), 0.0);
    if (std.empty()) std.assign(size_t(channels), 1.0);
    if (int64_t(mean.size()) != channels || int64_t(std.size()) != channels) {
        throw InputError("model " + m_description.arch, "normalisation needs one mean and std per input channel");
    }
    auto normalize = register_module("normalize", std::make_shared<torch::nn::Module>());
    m_mean = normalize->register_buffer("mean", torch::tensor(mean, torch::kFloat32).view({1, channels, 1, 1}));
    m_std = normalize->register_buffer("std", torch::tensor(std, torch::kFloat32).view({1, channels, 1, 1}));

    const auto classCount = int64_t(m_description.classes.size());
    m_stages = buildArchitecture(m_description.arch, m_description.inputShape, classCount);
    for (auto& stage : m_stages) {
        register_module(stage.name, stage.module.ptr());
    }
    inspectStages();
    useChannelsLastWeights(parameters());
}

void useChannelsLastWeights(const std::vector<torch::Tensor>& parameters) {
    torch::NoGradGuard noGrad;
    for (auto parameter : parameters) {
        if (parameter.dim() == 4 && parameter.device().is_cpu()) {
            // contiguous(ChannelsLast) keeps the old strides when a dimension has size 1 (conv1 of a grey
            // image), and convolution picks its layout from the strides, so restride explicitly.
            auto restrided = torch::empty_like(parameter, parameter.options(), torch::MemoryFormat::ChannelsLast);
            restrided.copy_(parameter);
            parameter.set_data(restrided);
        }
    }
}

void ClassifierImpl::inspectStages() {
    std::set<std::string> known;
    for (const auto& stage : m_stages) known.insert(stage.name);
    std::map<std::string, SmoothingSpec*> wanted;
    for (auto& block : m_description.smoothing) {
        if (!known.count(block.after)) {
            std::string names;
            for (const auto& stage : m_stages) names += (names.empty() ? "" : ", ") + stage.name;
            throw InputError("--smooth-after " + block.after, "no such stage in " + m_description.arch + " (stages: " + names + ")");
        }
        if (!wanted.emplace(block.after, &block).second) {
            throw InputError("--smooth-after " + block.after, "two smoothing blocks after the same stage");
        }
    }
    // A dry run finds each insertion point's channel count and map size; eval mode keeps
    // batch-norm statistics untouched.
    torch::NoGradGuard noGrad;
    eval();
    auto x = torch::zeros({1, m_description.inputShape[0], m_description.inputShape[1], m_description.inputShape[2]});
    for (auto& stage : m_stages) {
        x = stage.module.forward(x);
        if (x.dim() == 4) m_featureLayers.push_back(stage.name);
        const auto found = wanted.find(stage.name);
        if (found == wanted.end()) continue;
        if (x.dim() != 4) {
            throw InputError("--smooth-after " + stage.name, "that stage's output is not a feature map (NCHW)");
        }
        SmoothingSpec& spec = *found->second;
        if (!spec.sigma) spec.sigma = defaultBlurSigma(x.size(2));
        auto block = SmoothingBlock(x.size(1), parseBlurKind(spec.kind), spec.kernelSize, *spec.sigma);
        m_smoothingAfter.emplace(stage.name, register_module("smooth_" + stage.name, block));
        m_featureLayers.push_back("smooth_" + stage.name);
        x = block->forward(x);
    }
    train();
}

torch::Tensor ClassifierImpl::forward(const torch::Tensor& pixels) {
    const auto& shape = m_description.inputShape;
    TORCH_CHECK(pixels.dim() == 4, "expected NCHW, got ", pixels.dim(), "D");
    TORCH_CHECK(pixels.size(1) == shape[0] && pixels.size(2) == shape[1] && pixels.size(3) == shape[2], "model expects ", shape[0], "x",
                shape[1], "x", shape[2], " input, got ", pixels.size(1), "x", pixels.size(2), "x", pixels.size(3));
    auto x = (pixels - m_mean) / m_std;
    for (auto& stage : m_stages) {
        x = stage.module.forward(x);
        const auto block = m_smoothingAfter.find(stage.name);
        if (block != m_smoothingAfter.end()) x = block->second->forward(x);
    }
    return x;
}

std::pair<torch::Tensor, torch::Tensor> ClassifierImpl::forwardWithFeatures(const torch::Tensor& pixels, const std::string& layer) {
    if (std::find(m_featureLayers.begin(), m_featureLayers.end(), layer) == m_featureLayers.end()) {
        std::string names;
        for (const auto& name : m_featureLayers) names += (names.empty() ? "" : ", ") + name;
        throw InputError("layer " + layer, "no such feature layer in " + m_description.arch + " (feature layers: " + names + ")");
    }
    auto x = (pixels - m_mean) / m_std;
    torch::Tensor features;
    for (auto& stage : m_stages) {
        x = stage.module.forward(x);
        if (stage.name == layer) features = x;
        const auto block = m_smoothingAfter.find(stage.name);
        if (block != m_smoothingAfter.end()) {
            x = block->second->forward(x);
            if ("smooth_" + stage.name == layer) features = x;
        }
    }
    return {x, features};
}

std::string ClassifierImpl::lastFeatureLayer() const {
    const auto stage = lastFeatureStage(m_description.arch);
    return m_smoothingAfter.count(stage) ? "smooth_" + stage : stage;
}

SmoothingBlock ClassifierImpl::smoothingAfter(const std::string& stage) const {
    const auto found = m_smoothingAfter.find(stage);
    return found == m_smoothingAfter.end() ? SmoothingBlock(nullptr) : found->second;
}

}  // namespace sw
