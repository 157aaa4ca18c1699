#pragma once

#include <optional>

#include "data/Dataset.h"
#include "models/ImageClassifier.h"
#include "train/AttackConfig.h"
#include "util/Feedback.h"

namespace sw {

struct AccuracyOptions {
    int64_t batchSize = 256;
    int64_t limit = 0;                   ///< first N samples; 0 = all
    std::optional<AttackConfig> attack;  ///< also measure robust accuracy under this attack
    uint64_t seed = 0;                   ///< for the attack's random start
};

struct AccuracyReport {
    int64_t count = 0;
    double accuracy = 0.0;
    std::optional<double> robustAccuracy;
};

/// The PGD attack robust accuracy is measured with: the model's own PGD training attack, or PGD at the model's
/// training ε (0.1 for natural models) with 40 steps of ε/10 — one-step and TRADES attacks would overstate robustness.
AttackConfig robustnessAttackFor(const ModelDescription& description);

/// Clean (and optionally robust) accuracy of `model` on `data`, in eval mode on the model's device.
/// Throws Cancelled when `feedback` is cancelled.
AccuracyReport evaluateAccuracy(ImageClassifier& model, const Dataset& data, const AccuracyOptions& options, Feedback* feedback = nullptr);

}  // namespace sw
