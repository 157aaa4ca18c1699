#pragma once

#include <torch/script.h>

#include "models/ImageClassifier.h"

namespace sw {

/// A model saved from Python with torch.jit.script/trace(...).save. Its input shape and class names come
/// from a JSON sidecar or the caller (see ModelFile.h). Input gradients flow through it.
class TorchScriptClassifier : public ImageClassifier {
public:
    TorchScriptClassifier(torch::jit::Module module, ModelDescription description, std::string source);

    /// Throws InputError naming the file when the module returns something other than a logits tensor.
    torch::Tensor logits(const torch::Tensor& pixels) override;
    const ModelDescription& description() const override { return m_description; }
    void setTrainingMode(bool training) override { m_module.train(training); }
    void moveTo(const torch::Device& device) override;
    torch::Device device() const override { return m_device; }
    std::vector<torch::Tensor> parameters() override;
    void setClassNames(std::vector<std::string> names) { m_description.classes = std::move(names); }

private:
    torch::jit::Module m_module;
    ModelDescription m_description;
    std::string m_source;
    torch::Device m_device{torch::kCPU};
};

}  // namespace sw
