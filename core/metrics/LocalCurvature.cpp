#include "metrics/LocalCurvature.h"

#include <torch/autograd.h>

#include "data/BatchSampler.h"

namespace sw {

namespace {
constexpr uint64_t kCurvatureStream = 8ull << 40;
constexpr uint64_t kHessianStream = 9ull << 40;

/// Per-input dot product of two batches, as float64 N.
torch::Tensor rowDot(const torch::Tensor& a, const torch::Tensor& b) { return (a * b).flatten(1).sum(1).to(torch::kFloat64); }

torch::Tensor normalizedRows(const torch::Tensor& v) {
    const auto norms = v.flatten(1).norm(2, 1).clamp_min(1e-30);
    std::vector<int64_t> shape(size_t(v.dim()), 1);
    shape[0] = -1;
    return v / norms.view(shape);
}
}  // namespace

torch::Tensor localCurvature(const std::function<torch::Tensor(const torch::Tensor&)>& gradientOf, const torch::Tensor& pixels,
                             double radius, int draws, uint64_t seed) {
    const auto base = gradientOf(pixels).to(torch::kFloat64).flatten(1);
    auto total = torch::zeros({pixels.size(0)}, torch::kFloat64);
    for (int draw = 0; draw < draws; ++draw) {
        auto generator = makeGenerator(seed, kCurvatureStream + uint64_t(draw));
        auto direction = torch::randn(pixels.sizes(), generator).to(pixels.device(), pixels.scalar_type());
        direction = direction / direction.flatten(1).norm(2, 1).view({-1, 1, 1, 1});
        const auto shifted = gradientOf(pixels + radius * direction).to(torch::kFloat64).flatten(1);
        total += ((shifted - base).norm(2, 1) / radius).cpu();
    }
    return total / double(draws);
}

torch::Tensor hessianSpectralNorm(const std::function<torch::Tensor(const torch::Tensor&)>& scoreOf, const torch::Tensor& pixels,
                                  int iterations, uint64_t seed) {
    torch::AutoGradMode enable(true);
    auto x = pixels.detach().clone().requires_grad_(true);
    const auto score = scoreOf(x).sum();  // inputs are independent, so one graph serves every input's Hessian
    const auto gradient = torch::autograd::grad({score}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
    auto generator = makeGenerator(seed, kHessianStream);
    auto v = normalizedRows(torch::randn(pixels.sizes(), generator).to(pixels.device(), pixels.scalar_type()));
    torch::Tensor eigenvalue = torch::zeros({pixels.size(0)}, torch::kFloat64);
    for (int iteration = 0; iteration < iterations; ++iteration) {
        const auto hv = torch::autograd::grad({(gradient * v).sum()}, {x}, {}, /*retain_graph=*/true)[0].detach();
        eigenvalue = rowDot(v, hv).cpu();                                 // the Rayleigh quotient at the current direction
        if (hv.flatten(1).norm(2, 1).max().item<double>() == 0.0) break;  // a flat function: 0 everywhere
        v = normalizedRows(hv);
    }
    return eigenvalue.abs();
}

torch::Tensor energyInMask(const torch::Tensor& heatmaps, const torch::Tensor& masks) {
    const auto energy = heatmaps.detach().to(torch::kCPU, torch::kFloat64).abs().flatten(1);
    const auto inside = masks.cpu().flatten(1).gt(0).to(torch::kFloat64);
    return (energy * inside).sum(1) / energy.sum(1).clamp_min(1e-300);
}

torch::Tensor pointingGameHits(const torch::Tensor& heatmaps, const torch::Tensor& masks) {
    const auto peak = heatmaps.detach().cpu().abs().flatten(1).argmax(1, true);
    return masks.cpu().flatten(1).gt(0).gather(1, peak).squeeze(1).to(torch::kFloat64);
}

}  // namespace sw
