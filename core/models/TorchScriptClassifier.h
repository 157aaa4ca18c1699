#pragma once

#include <memory>

#include <torch/script.h>

#include "models/ImageClassifier.h"
#include "models/TorchScriptGraph.h"

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

    /// Module paths whose output is a feature map, found by inlining the forward graph (models/TorchScriptGraph.h).
    std::vector<std::string> featureLayers() override;
    /// The last feature map that is not a pooling layer's output.
    std::string defaultFeatureLayer() override;
    std::pair<torch::Tensor, torch::Tensor> logitsWithFeatures(const torch::Tensor& pixels, const std::string& layer) override;
    torch::Tensor logitsWithReluOverride(const torch::Tensor& pixels) override;
    /// True when the forward graph calls aten::relu.
    bool hasReplaceableRelus() override;

private:
    TorchScriptGraph& graph();
    /// Index into graph().moduleOutputs() of every feature layer, by path; found by one dry run.
    const std::map<std::string, size_t>& featureLayerIndex();

    torch::jit::Module m_module;
    ModelDescription m_description;
    std::string m_source;
    torch::Device m_device{torch::kCPU};
    std::unique_ptr<TorchScriptGraph> m_graph;
    std::vector<std::string> m_featureLayers;
    std::map<std::string, size_t> m_featureLayerIndex;
    bool m_inspected = false;
};

}  // namespace sw
