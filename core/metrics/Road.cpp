#include "metrics/Road.h"

#include "data/BatchSampler.h"
#include "util/Feedback.h"

namespace sw {

namespace {
constexpr uint64_t kRoadStream = 7ull << 40;
}  // namespace

torch::Tensor noisyLinearImputation(const torch::Tensor& pixels, const torch::Tensor& removed, torch::Generator& generator,
                                    double noiseStd) {
    // ROAD's linear system: every removed pixel equals the weighted mean of its in-image neighbours, known or
    // removed. With d the neighbour-weight sum, K the neighbour kernel and M the removed mask it reads
    // A·u = M⊙(d⊙u − K∗(M⊙u)) = M⊙(K∗((1−M)⊙x)), which is symmetric positive (semi)definite, so conjugate
    // gradients solve it, in O(image side) iterations; known pixels stay fixed.
    // Solved in the pixels' own precision: float32 convolutions take oneDNN's fast path, and the imputation
    // noise (σ = 0.01) dwarfs a 1e-5 relative residual.
    const auto x = pixels.detach().is_floating_point() ? pixels.detach() : pixels.detach().to(torch::kFloat32);
    const auto dtype = x.scalar_type();
    const auto channels = x.size(1);
    const auto kernel = torch::tensor({1.0 / 12, 1.0 / 6, 1.0 / 12, 1.0 / 6, 0.0, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 12},
                                      torch::TensorOptions().dtype(dtype).device(x.device()))
                            .view({1, 1, 3, 3})
                            .expand({channels, 1, 3, 3});
    const std::vector<int64_t> one{1, 1};
    const auto neighbours = [&](const torch::Tensor& t) { return torch::conv2d(t, kernel, {}, one, one, one, channels); };
    const auto mask = removed.unsqueeze(1).expand_as(x).to(dtype);
    const auto degree = neighbours(torch::ones_like(x));
    const auto apply = [&](const torch::Tensor& u) { return mask * (degree * u - neighbours(mask * u)); };
    const auto dot = [](const torch::Tensor& a, const torch::Tensor& b) { return (a * b).sum({1, 2, 3}, true); };

    const auto known = 1.0 - mask;
    const auto keptMean = (x * known).sum({2, 3}, true) / known.sum({2, 3}, true).clamp_min(1.0);
    const auto rightHandSide = mask * neighbours(known * x);
    auto solution = mask * keptMean;
    auto residual = rightHandSide - apply(solution);
    auto direction = residual.clone();
    auto residualNorm = dot(residual, residual);
    const double relative = dtype == torch::kFloat64 ? 1e-8 : 1e-5;
    const double tolerance = relative * relative * std::max(1.0, dot(rightHandSide, rightHandSide).max().item<double>());
    const int64_t maxIterations = 10 * std::max(x.size(2), x.size(3)) + 50;
    for (int64_t iteration = 0; iteration < maxIterations && residualNorm.max().item<double>() > tolerance; ++iteration) {
        const auto applied = apply(direction);
        const auto curvature = dot(direction, applied);
        const auto step = torch::where(curvature > 0, residualNorm / curvature, torch::zeros_like(curvature));
        solution = solution + step * direction;
        residual = residual - step * applied;
        const auto nextNorm = dot(residual, residual);
        const auto beta = torch::where(residualNorm > 0, nextNorm / residualNorm, torch::zeros_like(nextNorm));
        direction = residual + beta * direction;
        residualNorm = nextNorm;
    }
    const auto noise = torch::randn(x.sizes(), generator).to(x.device(), dtype) * noiseStd;
    return (known * x + mask * (solution + noise)).to(pixels.dtype());
}

int64_t roadRemovedPixelCount(double percent, int64_t area) {
    // Truncated as the authors do (rounding removed one pixel more at 8 of the 20 levels on 28×28); the
    // epsilon keeps an exact product such as 50 % of 784 from falling to the integer below.
    return int64_t(std::floor(percent / 100.0 * double(area) + 1e-9));
}

torch::Tensor roadRemovalOrder(const torch::Tensor& heatmaps, bool mostRelevantFirst) {
    // A stable sort: equal values keep their row-major pixel order, so the half of an IG map that is exactly 0
    // is removed in one defined order on every run and every machine (docs/METRICS.md, "ROAD's tie order").
    return std::get<1>(heatmaps.detach().flatten(1).cpu().sort(/*stable=*/true, /*dim=*/1, /*descending=*/mostRelevantFirst));
}

RoadCurve roadCurve(const std::function<torch::Tensor(const torch::Tensor&)>& logitsOf, const torch::Tensor& pixels,
                    const torch::Tensor& labels, const torch::Tensor& heatmaps, const RoadOptions& options, Feedback* feedback) {
    const auto count = pixels.size(0);
    const auto height = heatmaps.size(1), width = heatmaps.size(2);
    const auto area = height * width;
    const auto labelsCpu = labels.cpu();
    const auto correctIn = [&](const torch::Tensor& images, int64_t begin) {
        torch::NoGradGuard noGrad;
        const auto expected = labelsCpu.slice(0, begin, begin + images.size(0));
        return logitsOf(images).argmax(1).cpu().eq(expected).sum().item<int64_t>();
    };
    const auto order = roadRemovalOrder(heatmaps, options.mostRelevantFirst);
    std::vector<int64_t> correct(options.percentages.size(), 0);
    int64_t baseCorrect = 0;
    // Images are imputed in chunks to bound memory; each (level, chunk) has its own noise stream.
    constexpr int64_t kChunk = 256;
    for (int64_t begin = 0; begin < count; begin += kChunk) {
        const auto images = pixels.slice(0, begin, begin + kChunk);
        const auto chunkOrder = order.slice(0, begin, begin + kChunk);
        const auto size = images.size(0);
        baseCorrect += correctIn(images, begin);
        for (size_t level = 0; level < options.percentages.size(); ++level) {
            throwIfCancelled(feedback);
            const auto removedCount = roadRemovedPixelCount(options.percentages[level], area);
            auto removed = torch::zeros({size, area}, torch::kBool);
            removed.scatter_(1, chunkOrder.slice(1, 0, removedCount), true);
            auto generator = makeGenerator(options.seed, kRoadStream + (uint64_t(level) << 20) + uint64_t(begin));
            const auto imputed = noisyLinearImputation(images, removed.view({size, height, width}).to(images.device()), generator);
            correct[level] += correctIn(imputed, begin);
            const double done = double(begin) + double(size) * double(level + 1) / double(options.percentages.size());
            reportProgress(feedback, done / double(count),
                           options.mostRelevantFirst ? "ROAD, most relevant first" : "ROAD, least relevant first");
        }
    }
    RoadCurve curve;
    curve.baseAccuracy = double(baseCorrect) / double(count);
    double dropSum = 0.0;
    for (const auto value : correct) {
        curve.accuracy.push_back(double(value) / double(count));
        dropSum += curve.baseAccuracy - curve.accuracy.back();
    }
    curve.aopc = dropSum / double(options.percentages.size() + 1);
    return curve;
}

}  // namespace sw
