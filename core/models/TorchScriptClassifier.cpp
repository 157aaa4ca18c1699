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

std::vector<torch::Tensor> TorchScriptClassifier::parameters() {
    std::vector<torch::Tensor> result;
    for (const auto& parameter : m_module.parameters()) result.push_back(parameter);
    return result;
}

}  // namespace sw
