#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>
#include <torch/optim/optimizer.h>

#include "models/Classifier.h"

namespace sw {

/// Where a run stands; restored exactly on resume.
struct TrainingPosition {
    int64_t globalStep = 0;
    nlohmann::json recipe;  ///< the recipe of the run, so resume can refuse a different one
};

/// Writes weights, description, optimiser state and position atomically.
void saveTrainingCheckpoint(const std::filesystem::path& path, const Classifier& network, torch::optim::Optimizer& optimizer,
                            const TrainingPosition& position);

/// Reads only the description, so the network can be rebuilt before its weights are loaded.
ModelDescription readCheckpointDescription(const std::filesystem::path& path);

/// Loads weights and optimiser state into already-built objects; throws InputError naming the file.
/// Tensors are placed on `device` (the network's), whatever device the checkpoint was written from.
TrainingPosition loadTrainingCheckpoint(const std::filesystem::path& path, Classifier& network, torch::optim::Optimizer& optimizer,
                                        const torch::Device& device);

}  // namespace sw
