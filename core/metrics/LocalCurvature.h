#pragma once

#include <functional>

#include <torch/types.h>

namespace sw {

/// How fast the input gradient changes: mean over `draws` random δ of ‖∇ₓf(x+δ) − ∇ₓf(x)‖₂ / ‖δ‖₂, with
/// δ = radius·z/‖z‖, z ~ N(0, I). `gradientOf` returns ∂f_target/∂x for a batch. Returns float64 N.
/// For a ReLU/max-pool network ∇f is piecewise constant, so this measures gradient jumps within the radius
/// and scales like 1/radius: compare values only at the same radius (docs/METRICS.md).
torch::Tensor localCurvature(const std::function<torch::Tensor(const torch::Tensor&)>& gradientOf, const torch::Tensor& pixels,
                             double radius = 0.01, int draws = 3, uint64_t seed = 0);

/// The largest eigenvalue in magnitude of the input Hessian ∇²ₓf(x) — its spectral norm — per input, by
/// power iteration on Hessian-vector products (double backpropagation). `scoreOf` maps a batch to one
/// score per input (the explained logit) and must be twice differentiable: a ReLU network under a
/// SoftplusSurrogate (models/Activation.h). Inputs must not interact (a network in eval mode).
/// Returns float64 N.
torch::Tensor hessianSpectralNorm(const std::function<torch::Tensor(const torch::Tensor&)>& scoreOf, const torch::Tensor& pixels,
                                  int iterations = 20, uint64_t seed = 0);

/// On images with ground-truth masks (N×H×W): the share of |heatmap| inside the mask, and whether the
/// heatmap's peak |value| lies inside it (pointing game). Both float64 N.
torch::Tensor energyInMask(const torch::Tensor& heatmaps, const torch::Tensor& masks);
torch::Tensor pointingGameHits(const torch::Tensor& heatmaps, const torch::Tensor& masks);

}  // namespace sw
