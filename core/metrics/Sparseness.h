#pragma once

#include <torch/types.h>

namespace sw {

/// Quantus' Sparseness: the Gini index of each sample's |attribution|, flattened over all but the first
/// dimension: a ← sort(|a| + 1e-7), G = Σᵢ(2i−n−1)·aᵢ / (n·Σa). With `normaliseByMax` (Quantus' default) each
/// map is first divided by its largest |value|. 0 = uniform map, 1 − 1/n = a single non-zero entry.
/// Returns float64 N.
torch::Tensor giniIndex(const torch::Tensor& attributions, bool normaliseByMax = true);

}  // namespace sw
