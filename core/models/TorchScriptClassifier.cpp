#include "models/TorchScriptClassifier.h"

#include "models/Classifier.h"
#include "util/InputError.h"

namespace sw {

TorchScriptClassifier::TorchScriptClassifier(torch::jit::Module module, ModelDescription description, std::string source)
    : m_module(std::move(module)), m_description(std::move(description)), m_source(std::move(source)) {
    m_module.eval();
    useChannelsLastWeights(parameters());
}

torch::Tensor TorchScriptClassifier::logits(const torch::Tensor& pixels) {
    c10::IValue output;
    try {
        output = m_module.forward({pixels});
    } catch (const c10::Error& error) {
        throw InputError(m_source, std::string("forward failed: ") + error.what_without_backtrace());
    }
    if (!output.isTensor()) {
        throw InputError(m_source, "forward returned " + output.tagKind() + ", expected a logits tensor N×K");
    }
    auto result = output.toTensor();
    if (result.dim() != 2 || result.size(0) != pixels.size(0)) {
        throw InputError(m_source, "forward returned a tensor of " + std::to_string(result.dim()) +
                                       " dimensions; expected logits N×K with N = " + std::to_string(pixels.size(0)));
    }
    if (!result.is_floating_point()) {
        throw InputError(m_source, "forward returned a non-floating-point tensor; expected logits");
    }
    return result;
}

void TorchScriptClassifier::moveTo(const torch::Device& device) {
    m_module.to(device);
    m_device = device;
    useChannelsLastWeights(parameters());
}

TorchScriptGraph& TorchScriptClassifier::graph() {
    if (!m_graph) {
        try {
            m_graph = std::make_unique<TorchScriptGraph>(m_module);
        } catch (const c10::Error& error) {
            throw InputError(m_source, std::string("its forward graph cannot be inlined: ") + error.what_without_backtrace());
        }
    }
    return *m_graph;
}

const std::map<std::string, size_t>& TorchScriptClassifier::featureLayerIndex() {
    if (m_inspected) return m_featureLayerIndex;
    auto& inlined = graph();
    std::vector<size_t> all(inlined.moduleOutputs().size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto& shape = m_description.inputShape;
    std::vector<torch::Tensor> outputs;
    {
        torch::NoGradGuard noGrad;
        const bool wasTraining = m_module.is_training();
        m_module.eval();
        try {
            outputs = inlined.run(torch::zeros({1, shape[0], shape[1], shape[2]}, torch::TensorOptions().device(m_device)), all);
        } catch (const c10::Error& error) {
            m_module.train(wasTraining);
            throw InputError(m_source, std::string("forward failed: ") + error.what_without_backtrace());
        }
        m_module.train(wasTraining);
    }
    for (size_t i = 0; i < all.size(); ++i) {
        if (outputs.at(i + 1).dim() != 4) continue;
        for (const auto& path : inlined.moduleOutputs()[i].paths) {
            m_featureLayers.push_back(path);
            m_featureLayerIndex.emplace(path, i);
        }
    }
    m_inspected = true;
    return m_featureLayerIndex;
}

std::vector<std::string> TorchScriptClassifier::featureLayers() {
    featureLayerIndex();
    return m_featureLayers;
}

std::string TorchScriptClassifier::defaultFeatureLayer() {
    const auto& index = featureLayerIndex();
    const auto& outputs = graph().moduleOutputs();
    std::string chosen;
    for (const auto& path : m_featureLayers) {
        const auto& output = outputs[index.at(path)];
        if (output.paths.front() != path) continue;  // one name per tensor: the shortest
        bool pooled = false;
        for (const auto& className : output.classes) pooled = pooled || className.find("Pool") != std::string::npos;
        if (!pooled) chosen = path;
    }
    return chosen;
}

std::pair<torch::Tensor, torch::Tensor> TorchScriptClassifier::logitsWithFeatures(const torch::Tensor& pixels, const std::string& layer) {
    const auto& index = featureLayerIndex();
    const auto found = index.find(layer);
    if (found == index.end()) {
        std::string names;
        for (const auto& name : m_featureLayers) names += (names.empty() ? "" : ", ") + name;
        throw InputError(m_source, "no feature layer '" + layer + "' (feature layers: " + (names.empty() ? "none" : names) + ")");
    }
    try {
        const auto outputs = graph().run(pixels, {found->second});
        return {outputs.at(0), outputs.at(1)};
    } catch (const c10::Error& error) {
        throw InputError(m_source, std::string("forward failed: ") + error.what_without_backtrace());
    }
}

torch::Tensor TorchScriptClassifier::logitsWithReluOverride(const torch::Tensor& pixels) {
    try {
        return graph().runWithReluRule(pixels);
    } catch (const c10::Error& error) {
        throw InputError(m_source, std::string("forward failed: ") + error.what_without_backtrace());
    } catch (const std::invalid_argument& error) {
        throw InputError(m_source, error.what());
    }
}

bool TorchScriptClassifier::hasReplaceableRelus() { return graph().reluCount() > 0; }

std::vector<torch::Tensor> TorchScriptClassifier::parameters() {
    std::vector<torch::Tensor> result;
    for (const auto& parameter : m_module.parameters()) result.push_back(parameter);
    return result;
}

}  // namespace sw
