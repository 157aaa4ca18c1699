#pragma once

#include <functional>

#include <torch/types.h>

#include "train/AttackConfig.h"

namespace sw {

class Feedback;

/// Maps float pixels to logits; the attacks never touch parameter gradients.
using LogitsFunction = std::function<torch::Tensor(const torch::Tensor&)>;

/// Adversarial examples for `config.kind` (pgd or fgsm-rs: maximise cross-entropy; trades: maximise the KL
/// divergence from the clean prediction), projected onto the ε-ball around `pixels` and clipped to [0, 1].
/// The caller puts the model in eval mode. Random starts are drawn from `generator` (CPU) so that training
/// can be resumed exactly. Throws Cancelled when `feedback` is cancelled.
torch::Tensor adversarialExamples(const LogitsFunction& logitsOf, const torch::Tensor& pixels, const torch::Tensor& labels,
                                  const AttackConfig& config, torch::Generator& generator, const Feedback* feedback = nullptr);

}  // namespace sw
