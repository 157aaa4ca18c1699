#pragma once

#include <functional>

#include <torch/types.h>

#include "train/AttackConfig.h"

namespace sw {

class Feedback;

/// Maps float pixels to logits; the attacks never touch parameter gradients.
using LogitsFunction = std::function<torch::Tensor(const torch::Tensor&)>;

/// Which rows of a global batch a tensor holds: in a data-parallel run, rank r holds rows r, r + W, r + 2W, …
/// of the global batch (W ranks). Random starts are drawn for the whole global batch and this rank takes its
/// rows, so every example gets the same start as it would in one process. The default: the whole batch.
struct BatchShard {
    int64_t globalRows = 0;  ///< 0: the tensor is the whole batch
    int64_t firstRow = 0;
    int64_t rowStride = 1;
};

/// Adversarial examples for `config.kind` (pgd or fgsm-rs: maximise cross-entropy; trades: maximise the KL
/// divergence from the clean prediction), projected onto the ε-ball around `pixels` and clipped to [0, 1].
/// The caller puts the model in eval mode. Random starts are drawn from `generator` (CPU) so that training
/// can be resumed exactly. Throws Cancelled when `feedback` is cancelled.
torch::Tensor adversarialExamples(const LogitsFunction& logitsOf, const torch::Tensor& pixels, const torch::Tensor& labels,
                                  const AttackConfig& config, torch::Generator& generator, const BatchShard& rows = {},
                                  const Feedback* feedback = nullptr);

}  // namespace sw
