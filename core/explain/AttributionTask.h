#pragma once

#include <cstdint>
#include <functional>

#include <torch/types.h>

#include "explain/SaliencyConfig.h"
#include "models/ImageClassifier.h"

namespace sw {

class Feedback;

/// One call of a method's `attribute` function (explain/SaliencyMethods.h): what to explain, and the result.
struct AttributionTask {
    ImageClassifier& model;  ///< in eval mode
    const SaliencyConfig& config;
    torch::Tensor pixels;   ///< N×C×H×W in [0, 1] on the model's device; float32 (float64 kept for finite-difference checks)
    torch::Tensor targets;  ///< N class indices on the model's device
    Feedback* feedback = nullptr;
    uint64_t noiseDraw = 0;      ///< which draw of noise this call makes (SmoothGrad, VarGrad)
    torch::Tensor attributions;  ///< the result: N×C×H×W, or N×1×H×W for a map made at a feature layer
};

/// Σ_i logits[i, targets[i]]: the score every method explains (the logit, never the softmax).
torch::Tensor targetScores(const torch::Tensor& logits, const torch::Tensor& targets);

/// Calls `work(begin, end)` for consecutive row ranges of at most `chunk` rows, checking for cancellation
/// before each.
void forEachChunk(AttributionTask& task, int64_t rows, int64_t chunk, const std::function<void(int64_t begin, int64_t end)>& work);

/// ∂f_target/∂x for every row of `inputs` (M×C×H×W), in chunks of config.maxBatch rows.
torch::Tensor inputGradients(AttributionTask& task, const torch::Tensor& inputs, const torch::Tensor& targets);

}  // namespace sw
