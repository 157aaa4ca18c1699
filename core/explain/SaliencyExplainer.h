#pragma once

#include <torch/types.h>

#include "explain/SaliencyConfig.h"
#include "models/ImageClassifier.h"

namespace sw {

class Feedback;

/// Gradient saliency of any ImageClassifier with Captum's definitions:
/// - VG: ∂f_c/∂x (absolute by default);  Gradient×Input: x·∂f_c/∂x
/// - IG: (x−b)·Σᵢ wᵢ ∂f_c(b+αᵢ(x−b))/∂x with the chosen integration rule and baseline b
/// - SmoothGrad: mean over n noisy copies x+N(0,σ²) of the VG map;  VarGrad: their variance
/// Work is batched over images, IG steps and noise samples, in chunks of at most config.maxBatch inputs.
/// Only input gradients are computed; model parameters' .grad are never touched. The model is put in eval mode.
class SaliencyExplainer {
public:
    SaliencyExplainer(ImageClassifier& model, SaliencyConfig config);

    /// The target class per image: the prediction, the label or a fixed index, as config.target says.
    /// Throws InputError when a label is asked for but missing (−1), or an index is out of range.
    torch::Tensor resolveTargets(const torch::Tensor& pixels, const torch::Tensor& labels);

    /// Attributions N×C×H×W (float32, on the model's device) for pixels N×C×H×W in [0, 1].
    /// SmoothGrad and VarGrad draw new noise on every call (the n-th call of an explainer always the same).
    /// Throws Cancelled when `feedback` is cancelled midway.
    torch::Tensor attribute(const torch::Tensor& pixels, const torch::Tensor& targets, const Feedback* feedback = nullptr);

    /// ∂f_target/∂x for every row of `inputs` (M×C×H×W), chunked.
    torch::Tensor inputGradients(const torch::Tensor& inputs, const torch::Tensor& targets, const Feedback* feedback);

    const SaliencyConfig& config() const { return m_config; }

private:
    torch::Tensor baselineFor(const torch::Tensor& pixels) const;
    torch::Tensor integratedGradients(const torch::Tensor& pixels, const torch::Tensor& targets, const Feedback* feedback);
    torch::Tensor noiseTunnel(const torch::Tensor& pixels, const torch::Tensor& targets, const Feedback* feedback);

    ImageClassifier& m_model;
    SaliencyConfig m_config;
    /// Each attribute() call draws fresh SmoothGrad noise (as Captum does), yet a run is reproducible.
    uint64_t m_noiseCalls = 0;
};

/// The 2-D heatmap N×H×W of attributions N×C×H×W: sum over channels (default), max of |a|, or L2 norm.
torch::Tensor heatmapOf(const torch::Tensor& attributions, const std::string& reduction = "sum");

/// Separable Gaussian blur of N×C×H×W pixels (replicate padding), σ in pixels.
torch::Tensor gaussianBlur(const torch::Tensor& pixels, double sigma);

}  // namespace sw
