#pragma once

#include <torch/types.h>

namespace sw {

/// Mean structural similarity of each pair of 2-D maps (N×H×W each), exactly as scikit-image's
/// structural_similarity(a, b, win_size, data_range) with its defaults: uniform window, K1 = 0.01, K2 = 0.03,
/// sample covariance, averaged over the positions where the window fits. Returns float64 N.
torch::Tensor structuralSimilarity(const torch::Tensor& first, const torch::Tensor& second, int64_t windowSize = 5, double dataRange = 2.0);

/// Fraction of the top-k % entries (by value) of `first` that are also among the top-k % of `second`, per pair.
torch::Tensor topKOverlap(const torch::Tensor& first, const torch::Tensor& second, double fraction = 0.1);

/// Spearman rank correlation per pair, with tied values given their average rank (as scipy.stats.spearmanr).
torch::Tensor spearmanCorrelation(const torch::Tensor& first, const torch::Tensor& second);

/// Each map divided by its largest |value| (maps that are all zero stay zero), so maps land in [−1, 1].
torch::Tensor normaliseByMaxAbs(const torch::Tensor& maps);

}  // namespace sw
