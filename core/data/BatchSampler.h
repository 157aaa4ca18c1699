#pragma once

#include <cstdint>

#include <torch/types.h>

namespace sw {

/// A CPU random generator for one purpose of one step. Deriving it from (seed, stream) instead of
/// keeping one generator alive lets training resume at any step and draw exactly the same numbers.
torch::Generator makeGenerator(uint64_t seed, uint64_t stream);

/// The order in which one epoch visits the samples: a permutation that depends only on (seed, epoch).
torch::Tensor epochOrder(int64_t sampleCount, uint64_t seed, int64_t epoch);

/// Random crop (zero padding of `padding` pixels, then a crop back to the original size) and a
/// horizontal flip with probability ½, independently per sample. `pixels` is float N×C×H×W.
torch::Tensor augmentCropFlip(const torch::Tensor& pixels, int64_t padding, torch::Generator& generator);

}  // namespace sw
