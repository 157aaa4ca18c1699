#pragma once

#include <torch/types.h>

#include "explain/SaliencyConfig.h"
#include "models/ImageClassifier.h"

namespace sw {

class Feedback;

/// Saliency maps of any ImageClassifier by the method the config names, computed by that method's row of the
/// method table (explain/SaliencyMethods.h), with the reference libraries' definitions (docs/METRICS.md).
/// Work is batched in chunks of at most config.maxBatch inputs. Only input gradients are computed; model
/// parameters' .grad are never touched. The model is put in eval mode.
class SaliencyExplainer {
public:
    /// Resolves what depends on the model: a CAM's default layer. Throws InputError when the config is invalid.
    SaliencyExplainer(ImageClassifier& model, SaliencyConfig config);

    /// The target class per image: the prediction, the label or a fixed index, as config.target says.
    /// Throws InputError when a label is asked for but missing (−1), or an index is out of range.
    torch::Tensor resolveTargets(const torch::Tensor& pixels, const torch::Tensor& labels);

    /// Attributions (float32, on the model's device) for pixels N×C×H×W in [0, 1]: N×C×H×W, or N×1×H×W for the
    /// maps a CAM makes at a feature layer. SmoothGrad and VarGrad draw new noise on every call (the n-th call of an
    /// explainer always the same). Throws Cancelled when `feedback` is cancelled midway, InputError when the model
    /// does not offer what the method needs.
    torch::Tensor attribute(const torch::Tensor& pixels, const torch::Tensor& targets, Feedback* feedback = nullptr);

    /// ∂f_target/∂x for every row of `inputs` (M×C×H×W), chunked.
    torch::Tensor inputGradients(const torch::Tensor& inputs, const torch::Tensor& targets, Feedback* feedback);

    /// The config with the model-dependent defaults resolved (the CAM layer): what to record beside the maps.
    const SaliencyConfig& config() const { return m_config; }

private:
    ImageClassifier& m_model;
    SaliencyConfig m_config;
    /// Each attribute() call draws fresh SmoothGrad noise (as Captum does), yet a run is reproducible.
    uint64_t m_noiseCalls = 0;
};

/// Why `model` cannot be explained by `method`, in words naming what is missing; empty when it can.
std::string unmetModelNeeds(ImageClassifier& model, const std::string& method);

/// The 2-D heatmap N×H×W of attributions N×C×H×W: sum over channels (default), max of |a|, or L2 norm.
torch::Tensor heatmapOf(const torch::Tensor& attributions, const std::string& reduction = "sum");

/// Separable Gaussian blur of N×C×H×W pixels (replicate padding), σ in pixels.
torch::Tensor gaussianBlur(const torch::Tensor& pixels, double sigma);

}  // namespace sw
