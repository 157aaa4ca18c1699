#pragma once

#include <cstdint>
#include <string>

#include <torch/types.h>

#include "metrics/InputSliceOptions.h"

namespace sw {

class Feedback;
class ImageClassifier;
class SaliencyExplainer;

/// A model along the line x + t·d through one image (docs/GEOMETRY.md). d is scaled to max|d| = 1, so t is in
/// pixel units like an L∞ ε; the line is not clipped to [0, 1], so that it stays a line. The explained class is
/// the one predicted at t = 0, for every point. All tensors are on the CPU, float64 unless said otherwise.
struct InputSlice {
    torch::Tensor steps;           ///< P: the values of t, ascending; steps[P/2] is exactly 0
    torch::Tensor logits;          ///< P×K
    torch::Tensor predictions;     ///< int64 P: the predicted class at each point
    torch::Tensor explainedLogit;  ///< P: the logit of the class predicted at t = 0
    torch::Tensor margin;          ///< P: that logit minus the largest other one (< 0 where the prediction changed)
    torch::Tensor logitCurvature;  ///< P: d²/dt² of explainedLogit by central differences; NaN at both ends
    torch::Tensor gradientNorm;    ///< P: ‖∇ₓ f(x + t·d)‖₂ of the explained logit
    torch::Tensor maps;            ///< float32 P×H×W: the explainer's heatmap at each point
    torch::Tensor ssim;            ///< P: SSIM of each map to the map at t = 0 (both ÷ max|map|, as the stability curves); NaN
                                   ///< when a map is smaller than SSIM's window
    torch::Tensor cosine;          ///< P: cosine similarity of each map to the map at t = 0 (1 where both are zero)
    int64_t explainedClass = -1;
};

/// The index of t = 0 in InputSlice::steps.
inline int64_t centreOf(const InputSlice& slice) { return slice.steps.size(0) / 2; }

/// `direction` scaled to max|d| = 1. Throws InputError naming `what` when it is zero (or not finite).
torch::Tensor normalisedDirection(const torch::Tensor& direction, const std::string& what);

/// The slice through `pixels` (1×C×H×W, in [0, 1]) along `direction` (same shape, any scale; normalised here).
/// The maps come from `explainer` (its method and parameters), the gradient norms from its input gradients.
/// Throws InputError for invalid options (InputSliceOptions::validate) or a zero direction; Cancelled when
/// `feedback` is cancelled.
InputSlice sliceAlongDirection(ImageClassifier& model, SaliencyExplainer& explainer, const torch::Tensor& pixels,
                               const torch::Tensor& direction, const InputSliceOptions& options, Feedback* feedback = nullptr);

}  // namespace sw
