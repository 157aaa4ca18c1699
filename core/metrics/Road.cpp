#include "metrics/Road.h"

#include "data/BatchSampler.h"

namespace sw {

namespace {
constexpr uint64_t kRoadStream = 7ull << 40;
}  // namespace

torch::Tensor noisyLinearImputation(const torch::Tensor& pixels, const torch::Tensor& removed, torch::Generator& generator,
                                    double noiseStd) {
    // removed: bool N×H×W. Jacobi iterations of x_p = Σ wₙxₙ / Σ wₙ over in-image neighbours converge to the
    // solution of ROAD's linear system (it is diagonally dominant); known pixels stay fixed.
    const auto x = pixels.detach().to(torch::kFloat64);
    const auto channels = x.size(1);
    const auto kernel = torch::tensor({1.0 / 12, 1.0 / 6, 1.0 / 12, 1.0 / 6, 0.0, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 12},
                                      torch::TensorOptions().dtype(torch::kFloat64).device(x.device()))
                            .view({1, 1, 3, 3}).expand({channels, 1, 3, 3});
    const std::vector<int64_t> one{1, 1};
    const auto neighbourWeight = torch::conv2d(torch::ones_like(x), kernel, {}, one, one, one, channels);
    const auto mask = removed.unsqueeze(1).expand_as(x);
    const auto keptMean = (x * mask.logical_not()).sum({2, 3}, true) / mask.logical_not().sum({2, 3}, true).clamp_min(1);
    auto current = torch::where(mask, keptMean.expand_as(x), x);
    for (int iteration = 0; iteration < 400; ++iteration) {
        const auto average = torch::conv2d(current, kernel, {}, one, one, one, channels) / neighbourWeight;
        const auto next = torch::where(mask, average, x);
        const double change = (next - current).abs().max().item<double>();
        current = next;
        if (change < 1e-6) break;
    }
    const auto noise = torch::randn(x.sizes(), generator).to(x.device(), torch::kFloat64) * noiseStd;
    return torch::where(mask, current + noise, x).to(pixels.dtype());
}

RoadCurve roadCurve(const std::function<torch::Tensor(const torch::Tensor&)>& logitsOf, const torch::Tensor& pixels,
                    const torch::Tensor& labels, const torch::Tensor& heatmaps, const RoadOptions& options) {
    const auto count = pixels.size(0);
    const auto area = heatmaps.size(1) * heatmaps.size(2);
    const auto accuracyOf = [&](const torch::Tensor& images) {
        torch::NoGradGuard noGrad;
        return logitsOf(images).argmax(1).cpu().eq(labels.cpu()).to(torch::kFloat64).mean().item<double>();
    };
    RoadCurve curve;
    curve.baseAccuracy = accuracyOf(pixels);
    const auto order = std::get<1>(heatmaps.detach().flatten(1).cpu().sort(1, options.mostRelevantFirst));
    double dropSum = 0.0;
    for (size_t level = 0; level < options.percentages.size(); ++level) {
        const auto removedCount = int64_t(std::llround(options.percentages[level] / 100.0 * double(area)));
        auto removed = torch::zeros({count, area}, torch::kBool);
        removed.scatter_(1, order.slice(1, 0, removedCount), true);
        auto generator = makeGenerator(options.seed, kRoadStream + level);
        const auto imputed = noisyLinearImputation(pixels, removed.view({count, heatmaps.size(1), heatmaps.size(2)}).to(pixels.device()), generator);
        curve.accuracy.push_back(accuracyOf(imputed));
        dropSum += curve.baseAccuracy - curve.accuracy.back();
    }
    curve.aopc = dropSum / double(options.percentages.size() + 1);
    return curve;
}

}  // namespace sw
