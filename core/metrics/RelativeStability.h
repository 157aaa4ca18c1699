#pragma once

#include <functional>

#include <torch/types.h>

namespace sw {

/// The objectives of Agarwal et al. 2022 as Quantus computes them, for one perturbation x′ of each sample
/// (all tensors batched over the first dimension):
///   RIS = ‖(eₓ−eₓ′)/eₓ‖₂ / ‖(x−x′)/x‖₂,   ROS = ‖(eₓ−eₓ′)/eₓ‖₂ / ‖h(x)−h(x′)‖₂
/// Zero entries of a divisor (eₓ, x) are replaced by epsMin, and so is a zero denominator norm.
torch::Tensor relativeInputStabilityObjective(const torch::Tensor& x, const torch::Tensor& xPerturbed, const torch::Tensor& explanation,
                                              const torch::Tensor& explanationPerturbed, double epsMin = 1e-6);
torch::Tensor relativeOutputStabilityObjective(const torch::Tensor& logits, const torch::Tensor& logitsPerturbed,
                                               const torch::Tensor& explanation, const torch::Tensor& explanationPerturbed,
                                               double epsMin = 1e-6);

struct RelativeStabilityOptions {
    int64_t samples = 5;     ///< perturbations per input (the authors use 5; Quantus' default is 200)
    double noiseLow = 0.02;  ///< x′ = x + U(noiseLow, noiseHigh), as Quantus' batch_uniform_noise
    double noiseHigh = 0.2;
    double epsMin = 1e-6;
    bool nanWhenPredictionChanges = true;
    uint64_t seed = 0;
};

struct RelativeStabilityScores {
    torch::Tensor ris;  ///< float64 N: max over the perturbations; NaN where one changed the prediction
    torch::Tensor ros;
};

/// Callbacks the scorer needs: logits of a batch, and explanations of a batch for given targets.
struct ExplainedModel {
    std::function<torch::Tensor(const torch::Tensor& pixels)> logits;
    std::function<torch::Tensor(const torch::Tensor& pixels, const torch::Tensor& targets)> explain;
};

/// RIS and ROS for every sample: draws options.samples perturbations, explains each w.r.t. `targets`
/// and keeps the largest objective. `explanations` are the maps of the clean pixels.
RelativeStabilityScores relativeStability(const ExplainedModel& model, const torch::Tensor& pixels, const torch::Tensor& targets,
                                          const torch::Tensor& explanations, const RelativeStabilityOptions& options);

}  // namespace sw
