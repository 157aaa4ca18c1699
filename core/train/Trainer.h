#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include <torch/optim/optimizer.h>

#include "data/Dataset.h"
#include "models/Classifier.h"
#include "train/AdversarialAttack.h"
#include "train/TrainProgress.h"
#include "train/TrainRecipe.h"
#include "util/Feedback.h"
#include "util/Precision.h"

namespace sw {

class DataParallelGroup;
class GradientAverage;

/// Where a run stands, for TrainerOptions::onStep.
struct TrainerPosition {
    int64_t step = 0;  ///< optimiser steps done
    int64_t totalSteps = 0;
    int64_t stepsPerEpoch = 0;
};

struct TrainerOptions {
    torch::Device device{torch::kCPU};
    std::filesystem::path checkpointPath;  ///< empty = no checkpoints
    int64_t checkpointEverySteps = 1000;   ///< also written at each epoch end, on cancel and at the end
    int64_t reportEverySteps = 20;
    Precision precision = Precision::Float32;  ///< bf16: autocast of the forward passes and the attack
    TrainObserver observer;
    /// A data-parallel run (docs/SCALING.md): this rank trains on its shard of every global batch, the ranks
    /// average their gradients, rank 0 alone writes checkpoints. Null for one process.
    DataParallelGroup* group = nullptr;
    /// Called once before the first step (with the step the run starts from) and after every step, on the
    /// training thread; the network is put back in training mode afterwards. The saliency timeline records here
    /// (timeline/TimelineRecorder.h). Empty = nothing.
    std::function<void(const TrainerPosition&, Classifier&)> onStep;
};

/// Thrown when the loss becomes NaN or infinite; the last good checkpoint (if any) stays on disk.
class TrainingDiverged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Natural and adversarial training of a native classifier. Deterministic on the CPU for a fixed seed and
/// thread count: the epoch order and every random draw derive from (seed, step), so a run resumed from a
/// checkpoint continues exactly as if it had not stopped.
class Trainer {
public:
    Trainer(Classifier network, TrainRecipe recipe, TrainerOptions options);
    ~Trainer();

    /// Continues from a checkpoint written by an earlier run with the same recipe.
    void resumeFrom(const std::filesystem::path& checkpoint);

    /// Trains on `data` until the budget is spent. Checks `feedback` every batch and every attack step; when it
    /// is cancelled, writes a checkpoint and throws Cancelled. Throws TrainingDiverged on a non-finite loss.
    void run(const Dataset& data, Feedback* feedback = nullptr);

    int64_t globalStep() const { return m_globalStep; }
    int64_t totalSteps(int64_t sampleCount) const;
    Classifier network() const { return m_network; }

private:
    /// How the data splits into steps: this rank's share of a batch, the steps of an epoch and of the run.
    struct BatchLayout {
        int64_t localBatch = 1, stepsPerEpoch = 1, totalSteps = 0;
    };
    /// What one step adds to the progress window.
    struct StepTally {
        double loss = 0.0;
        int64_t correct = 0, examples = 0;
    };
    /// The running sums between two progress reports.
    struct ProgressWindow {
        std::chrono::steady_clock::time_point start;
        double loss = 0.0;
        int64_t correct = 0, examples = 0, steps = 0;
    };

    BatchLayout batchLayout(int64_t sampleCount) const;
    /// Data-parallel runs: every rank takes rank 0's parameters and buffers.
    void startFromLeadersWeights();
    /// One optimiser step on the samples `indices` (this rank's share of the batch); throws TrainingDiverged on a
    /// non-finite loss.
    StepTally takeStep(const Dataset& data, const torch::Tensor& indices, int64_t totalSteps, GradientAverage* gradientAverage,
                       Feedback* feedback);
    /// Sends the window's averages to the observer and `feedback` (summed over the ranks first) and starts a new one.
    void reportWindow(ProgressWindow& window, const BatchLayout& layout, std::chrono::steady_clock::time_point started, Feedback* feedback);
    torch::Tensor trainingLoss(const torch::Tensor& pixels, const torch::Tensor& labels, torch::Generator& generator,
                               torch::Tensor& logitsOut, const BatchShard& rows, const Feedback* feedback);
    /// Checkpoints and throws Cancelled when `feedback` is cancelled, so a resume continues from here.
    void checkpointIfCancelled(const Feedback* feedback);
    void writeCheckpoint();
    int worldSize() const;
    /// This rank's samples of the global batch `step` of an epoch in `order` (DistributedSampler's contract:
    /// the same permutation on every rank, padded to a multiple of the ranks, rank r taking every W-th one).
    torch::Tensor shardOfBatch(const torch::Tensor& order, int64_t stepInEpoch, int64_t localBatch) const;

    Classifier m_network;
    TrainRecipe m_recipe;
    TrainerOptions m_options;
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    int64_t m_globalStep = 0;
    bool m_haveGoodCheckpoint = false;
};

}  // namespace sw
