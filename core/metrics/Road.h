#pragma once

#include <functional>
#include <vector>

#include <torch/types.h>

namespace sw {

class Feedback;

/// ROAD (Rong et al. 2022) with noisy linear imputation: removed pixels take the weighted mean of their
/// neighbours (direct 1/6, diagonal 1/12, solved jointly for all removed pixels of a channel) plus
/// 0.01·N(0, 1) noise. Pixels are ranked by the heatmap: MoRF removes the most relevant first, LeRF the least.
torch::Tensor noisyLinearImputation(const torch::Tensor& pixels, const torch::Tensor& removed, torch::Generator& generator,
                                    double noiseStd = 0.01);

/// Pixels removed at `percent` % of `area`: truncated, as the ROAD authors' code and Quantus count them.
int64_t roadRemovedPixelCount(double percent, int64_t area);

/// The order ROAD removes pixels in, N×(H·W) row-major pixel indices for heatmaps N×H×W: by value, highest first
/// for MoRF (lowest for LeRF), and equal values in ascending pixel index.
torch::Tensor roadRemovalOrder(const torch::Tensor& heatmaps, bool mostRelevantFirst);

struct RoadOptions {
    std::vector<double> percentages = {1, 6, 11, 16, 21, 26, 31, 36, 41, 46, 51, 56, 61, 66, 71, 76, 81, 86, 91, 96};
    bool mostRelevantFirst = true;  ///< MoRF; false = LeRF
    uint64_t seed = 0;
};

struct RoadCurve {
    double baseAccuracy = 0.0;     ///< acc₀, nothing removed
    std::vector<double> accuracy;  ///< per percentage
    double aopc = 0.0;             ///< Σₖ(acc₀ − accₖ)/(K+1)
};

/// Accuracy after removing each percentage of pixels, for pixels N×C×H×W with heatmaps N×H×W. Reports
/// progress per chunk and level; throws Cancelled when `feedback` is cancelled.
RoadCurve roadCurve(const std::function<torch::Tensor(const torch::Tensor&)>& logitsOf, const torch::Tensor& pixels,
                    const torch::Tensor& labels, const torch::Tensor& heatmaps, const RoadOptions& options, Feedback* feedback = nullptr);

}  // namespace sw
