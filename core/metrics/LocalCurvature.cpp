#include "metrics/LocalCurvature.h"

#include "data/BatchSampler.h"

namespace sw {

namespace {
constexpr uint64_t kCurvatureStream = 8ull << 40;
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
