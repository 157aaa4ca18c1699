#include "metrics/Sparseness.h"

namespace sw {

torch::Tensor giniIndex(const torch::Tensor& attributions, bool normaliseByMax) {
    auto a = attributions.detach().to(torch::kCPU, torch::kFloat64).flatten(1).abs();
    if (normaliseByMax) {
        const auto largest = std::get<0>(a.max(1, true));
        a = a / torch::where(largest > 0, largest, torch::ones_like(largest));
    }
    a = std::get<0>((a + 1e-7).sort(1));
    const auto n = a.size(1);
    const auto coefficients = 2.0 * torch::arange(1, n + 1, torch::kFloat64) - double(n) - 1.0;
    return (a * coefficients).sum(1) / (double(n) * a.sum(1));
}

}  // namespace sw
