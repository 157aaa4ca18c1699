#pragma once

#include <map>
#include <string>
#include <vector>

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include "models/Architectures.h"
#include "models/ModelDescription.h"
#include "models/SmoothingBlock.h"

namespace sw {

/// A native image classifier: normalisation ("normalize" buffers mean/std), the architecture's named
/// stages, and smoothing blocks registered as "smooth_<stage>" right after their stage.
/// Takes float pixels N×C×H×W in [0, 1] and returns logits N×K.
class ClassifierImpl : public torch::nn::Module {
public:
    /// Builds the architecture the description names. Resolves each smoothing block's default σ from
    /// the feature-map size, so description() records the σ actually used.
    explicit ClassifierImpl(ModelDescription description);

    torch::Tensor forward(const torch::Tensor& pixels);
    /// The logits and the output of one of featureLayers() (a stage, or the smoothing block "smooth_<stage>"),
    /// which lies on the autograd path from the pixels to the logits. Throws InputError for another name.
    std::pair<torch::Tensor, torch::Tensor> forwardWithFeatures(const torch::Tensor& pixels, const std::string& layer);

    const ModelDescription& description() const { return m_description; }
    ModelDescription& description() { return m_description; }

    /// The layers with a feature-map output (N×K×h×w), in forward order: stage names and "smooth_<stage>".
    const std::vector<std::string>& featureLayers() const { return m_featureLayers; }
    /// The last convolutional stage's output, or the smoothing block right after it.
    std::string lastFeatureLayer() const;

    /// What the layer-wise rules walk (explain/RelevanceMethods.cpp): (pixels − mean) / std, the stages, and the
    /// smoothing block after a stage (empty when there is none).
    const torch::Tensor& normalizationMean() const { return m_mean; }
    const torch::Tensor& normalizationStd() const { return m_std; }
    const std::vector<NamedStage>& stages() const { return m_stages; }
    SmoothingBlock smoothingAfter(const std::string& stage) const;

private:
    /// Inserts the smoothing blocks and lists the feature layers, from one dry run in eval mode.
    void inspectStages();

    ModelDescription m_description;
    torch::Tensor m_mean, m_std;
    std::vector<NamedStage> m_stages;
    std::map<std::string, SmoothingBlock> m_smoothingAfter;
    std::vector<std::string> m_featureLayers;
};
TORCH_MODULE(Classifier);

/// Stores every 4-D parameter (convolution weights) channels-last. oneDNN's convolutions run 2–3× faster
/// on the CPU for LeNet-sized layers with this layout (IG-50 on 1,000 images: 3.6 s → 1.6 s); the values
/// and parameter identities are unchanged, only the strides.
void useChannelsLastWeights(const std::vector<torch::Tensor>& parameters);

}  // namespace sw
