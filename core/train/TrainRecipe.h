#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/AttackConfig.h"

namespace sw {

/// How to train: optimiser, schedule, budget and adversary. Plain data, recorded in the model file.
struct TrainRecipe {
    std::string optimizer = "adam";  ///< adam or sgd
    // Defaults: Adam 2e-3 with cosine decay, which reaches 85 % on Fashion-MNIST in one LeNet epoch for every
    // seed we tried; the authors' own recipes are the presets below (see docs/TRAINING.md).
    double learningRate = 2e-3;
    double momentum = 0.9;  ///< sgd only
    bool nesterov = false;  ///< sgd only
    double weightDecay = 0.0;
    std::string schedule = "cosine";  ///< constant, step (×gamma at each milestone step) or cosine
    std::vector<int64_t> milestones;  ///< global steps, for the step schedule
    double gamma = 0.1;
    int64_t epochs = 1;
    int64_t maxSteps = 0;  ///< > 0 overrides epochs
    int64_t batchSize = 32;
    bool augment = false;  ///< random crop (pad 4) + horizontal flip
    uint64_t seed = 0;
    AttackConfig adversarial;

    /// Learning rate at a global step of `totalSteps`.
    double learningRateAt(int64_t step, int64_t totalSteps) const;
    /// Throws InputError naming the offending option.
    void validate() const;

    nlohmann::json toJson() const;
    static TrainRecipe fromJson(const nlohmann::json& json);

    /// The authors' recipes: fmnist-natural, fmnist-adversarial, cifar10-wrn, imagenette-resnet18.
    /// Throws InputError for an unknown name.
    static TrainRecipe preset(const std::string& name);
    static std::vector<std::string> presetNames();
};

}  // namespace sw
