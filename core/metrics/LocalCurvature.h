#pragma once

#include <functional>

#include <torch/types.h>

namespace sw {

/// How fast the input gradient changes: mean over `draws` random δ of ‖∇ₓf(x+δ) − ∇ₓf(x)‖₂ / ‖δ‖₂, with
/// δ = radius·z/‖z‖, z ~ N(0, I). `gradientOf` returns ∂f_target/∂x for a batch. Returns float64 N.
torch::Tensor localCurvature(const std::function<torch::Tensor(const torch::Tensor&)>& gradientOf, const torch::Tensor& pixels,
                             double radius = 0.01, int draws = 3, uint64_t seed = 0);

/// On images with ground-truth masks (N×H×W): the share of |heatmap| inside the mask, and whether the
/// heatmap's peak |value| lies inside it (pointing game). Both float64 N.
torch::Tensor energyInMask(const torch::Tensor& heatmaps, const torch::Tensor& masks);
torch::Tensor pointingGameHits(const torch::Tensor& heatmaps, const torch::Tensor& masks);

}  // namespace sw
