#include "metrics/MapSimilarity.h"

#include <torch/nn/functional/pooling.h>

namespace sw {

namespace {

torch::Tensor averageRanks(const torch::Tensor& values) {
    // values: float64 N×M on the CPU → ranks 1..M, ties averaged.
    const auto [sorted, order] = values.sort(1);
    auto ranks = torch::empty_like(values);
    const auto n = values.size(0), m = values.size(1);
    auto sortedAccess = sorted.accessor<double, 2>();
    auto orderAccess = order.accessor<int64_t, 2>();
    auto rankAccess = ranks.accessor<double, 2>();
    for (int64_t row = 0; row < n; ++row) {
        for (int64_t start = 0; start < m;) {
            int64_t end = start + 1;
            while (end < m && sortedAccess[row][end] == sortedAccess[row][start]) ++end;
            const double rank = 0.5 * double(start + 1 + end);  // mean of ranks start+1 .. end
            for (int64_t k = start; k < end; ++k) rankAccess[row][orderAccess[row][k]] = rank;
            start = end;
        }
    }
    return ranks;
}

}  // namespace

torch::Tensor structuralSimilarity(const torch::Tensor& first, const torch::Tensor& second, int64_t windowSize, double dataRange) {
    TORCH_CHECK(first.sizes() == second.sizes() && first.dim() == 3, "expected two N×H×W map batches of one shape");
    const auto x = first.detach().to(torch::kCPU, torch::kFloat64).unsqueeze(1);
    const auto y = second.detach().to(torch::kCPU, torch::kFloat64).unsqueeze(1);
    namespace F = torch::nn::functional;
    const auto mean = [&](const torch::Tensor& t) { return F::avg_pool2d(t, F::AvgPool2dFuncOptions(windowSize).stride(1)); };
    const double points = double(windowSize * windowSize);
    const double covarianceNorm = points / (points - 1.0);
    const auto ux = mean(x), uy = mean(y);
    const auto vx = covarianceNorm * (mean(x * x) - ux * ux);
    const auto vy = covarianceNorm * (mean(y * y) - uy * uy);
    const auto vxy = covarianceNorm * (mean(x * y) - ux * uy);
    const double c1 = (0.01 * dataRange) * (0.01 * dataRange), c2 = (0.03 * dataRange) * (0.03 * dataRange);
    const auto map = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    return map.flatten(1).mean(1);
}

torch::Tensor topKOverlap(const torch::Tensor& first, const torch::Tensor& second, double fraction) {
    const auto a = first.detach().cpu().flatten(1), b = second.detach().cpu().flatten(1);
    const auto k = std::max<int64_t>(1, int64_t(std::llround(fraction * double(a.size(1)))));
    const auto topA = std::get<1>(a.topk(k, 1)), topB = std::get<1>(b.topk(k, 1));
    auto inA = torch::zeros(a.sizes(), torch::kBool).scatter_(1, topA, true);
    auto inB = torch::zeros(b.sizes(), torch::kBool).scatter_(1, topB, true);
    return inA.logical_and(inB).sum(1).to(torch::kFloat64) / double(k);
}

torch::Tensor spearmanCorrelation(const torch::Tensor& first, const torch::Tensor& second) {
    const auto ra = averageRanks(first.detach().to(torch::kCPU, torch::kFloat64).flatten(1));
    const auto rb = averageRanks(second.detach().to(torch::kCPU, torch::kFloat64).flatten(1));
    const auto ca = ra - ra.mean(1, true), cb = rb - rb.mean(1, true);
    return (ca * cb).sum(1) / ((ca * ca).sum(1) * (cb * cb).sum(1)).sqrt();
}

torch::Tensor normaliseByMaxAbs(const torch::Tensor& maps) {
    const auto largest = std::get<0>(maps.detach().abs().flatten(1).max(1));
    const auto shape = std::vector<int64_t>{-1, 1, 1};
    const auto divisor = torch::where(largest > 0, largest, torch::ones_like(largest));
    return maps / divisor.view(shape).to(maps.dtype());
}

}  // namespace sw
