#include "train/Trainer.h"

#include <chrono>
#include <cstdio>
#include <cmath>

#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include "data/BatchSampler.h"
#include "distributed/DataParallel.h"
#include "train/AdversarialAttack.h"
#include "train/AutocastScope.h"
#include "train/TrainingCheckpoint.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

namespace F = torch::nn::functional;

namespace {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainRecipe& recipe, std::vector<torch::Tensor> parameters) {
    if (recipe.optimizer == "sgd") {
        return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(recipe.learningRate)
                                                                   .momentum(recipe.momentum)
                                                                   .nesterov(recipe.nesterov)
                                                                   .weight_decay(recipe.weightDecay));
    }
    return std::make_unique<torch::optim::Adam>(parameters,
                                                torch::optim::AdamOptions(recipe.learningRate).weight_decay(recipe.weightDecay));
}

/// Streams that keep the random draws of different purposes independent.
constexpr uint64_t kAttackStream = 1ull << 40;
constexpr uint64_t kAugmentStream = 2ull << 40;

}  // namespace

Trainer::Trainer(Classifier network, TrainRecipe recipe, TrainerOptions options)
    : m_network(std::move(network)), m_recipe(std::move(recipe)), m_options(std::move(options)) {
    m_recipe.validate();
    m_network->to(m_options.device);
    m_optimizer = makeOptimizer(m_recipe, m_network->parameters());
}

Trainer::~Trainer() = default;

void Trainer::resumeFrom(const std::filesystem::path& checkpoint) {
    const auto position = loadTrainingCheckpoint(checkpoint, m_network, *m_optimizer, m_options.device);
    auto expected = m_recipe.toJson();
    auto stored = position.recipe;
    // The budget may be extended on resume; everything else must match for the run to continue exactly.
    for (auto* recipe : {&expected, &stored}) {
        recipe->erase("epochs");
        recipe->erase("max_steps");
    }
    if (!stored.empty() && stored != expected) {
        throw InputError(checkpoint.string(),
                         "was written by a run with a different recipe; resume needs the same "
                         "optimiser, learning rate, batch size, seed and adversary");
    }
    m_globalStep = position.globalStep;
    m_network->to(m_options.device);
    m_haveGoodCheckpoint = true;
}

int Trainer::worldSize() const { return m_options.group ? m_options.group->worldSize() : 1; }

Trainer::BatchLayout Trainer::batchLayout(int64_t sampleCount) const {
    // Each rank's shard holds ⌈N / W⌉ samples; a step takes B / W of them (for one process: ⌈N / B⌉ steps).
    const int64_t ranks = worldSize();
    BatchLayout layout;
    layout.localBatch = std::max<int64_t>(1, std::min(m_recipe.batchSize, sampleCount) / ranks);
    const int64_t shard = (sampleCount + ranks - 1) / ranks;
    layout.stepsPerEpoch = (shard + layout.localBatch - 1) / layout.localBatch;
    layout.totalSteps = m_recipe.maxSteps > 0 ? m_recipe.maxSteps : layout.stepsPerEpoch * m_recipe.epochs;
    return layout;
}

int64_t Trainer::totalSteps(int64_t sampleCount) const { return batchLayout(sampleCount).totalSteps; }

torch::Tensor Trainer::shardOfBatch(const torch::Tensor& order, int64_t stepInEpoch, int64_t localBatch) const {
    const int64_t ranks = worldSize();
    const int64_t sampleCount = order.size(0);
    const int64_t shardLength = (sampleCount + ranks - 1) / ranks;
    torch::Tensor shard = order;
    if (ranks > 1) {
        const int64_t padded = shardLength * ranks;
        // Padded by repeating the order's start, then every W-th sample from this rank's position.
        const auto full = padded > sampleCount ? torch::cat({order, order.slice(0, 0, padded - sampleCount)}) : order;
        shard = full.slice(0, m_options.group->rank(), padded, ranks);
    }
    return shard.slice(0, stepInEpoch * localBatch, std::min(shardLength, (stepInEpoch + 1) * localBatch));
}

torch::Tensor Trainer::trainingLoss(const torch::Tensor& pixels, const torch::Tensor& labels, torch::Generator& generator,
                                    torch::Tensor& logitsOut, const BatchShard& rows, const Feedback* feedback) {
    const auto& attack = m_recipe.adversarial;
    if (!attack.enabled()) {
        logitsOut = m_network->forward(pixels);
        return F::cross_entropy(logitsOut, labels);
    }
    // The attack runs on the model in eval mode (batch-norm statistics frozen), as the authors do.
    m_network->eval();
    const auto adversarial = adversarialExamples([&](const torch::Tensor& x) { return m_network->forward(x); }, pixels, labels, attack,
                                                 generator, rows, feedback);
    m_network->train();
    if (attack.kind == "trades") {
        logitsOut = m_network->forward(pixels);
        const auto adversarialLogits = m_network->forward(adversarial);
        const auto robustness = torch::kl_div(torch::log_softmax(adversarialLogits, 1), torch::softmax(logitsOut, 1), at::Reduction::Sum) /
                                double(pixels.size(0));
        return F::cross_entropy(logitsOut, labels) + attack.tradesBeta * robustness;
    }
    const double fraction = attack.adversarialFraction;
    logitsOut = m_network->forward(adversarial);
    auto loss = F::cross_entropy(logitsOut, labels);
    if (fraction < 1.0) {
        const auto cleanLogits = m_network->forward(pixels);
        loss = fraction * loss + (1.0 - fraction) * F::cross_entropy(cleanLogits, labels);
    }
    return loss;
}

void Trainer::writeCheckpoint() {
    if (m_options.checkpointPath.empty()) return;
    if (m_options.group && m_options.group->rank() != 0) {
        m_haveGoodCheckpoint = true;  // rank 0 writes the one checkpoint every rank resumes from
        return;
    }
    for (const auto& parameter : m_network->parameters()) {
        if (!torch::isfinite(parameter).all().item<bool>()) return;  // never replace a good checkpoint with a bad one
    }
    saveTrainingCheckpoint(m_options.checkpointPath, m_network, *m_optimizer, {m_globalStep, m_recipe.toJson()});
    m_haveGoodCheckpoint = true;
}

void Trainer::checkpointIfCancelled(const Feedback* feedback) {
    const bool cancelled = feedback && feedback->isCancelled();
    // Every rank stops at the same step when any is cancelled, so the checkpoint is everyone's.
    if (m_options.group ? !m_options.group->anyRankStops(cancelled) : !cancelled) return;
    writeCheckpoint();
    throw Cancelled("cancelled at step " + std::to_string(m_globalStep));
}

void Trainer::startFromLeadersWeights() {
    if (!m_options.group) return;
    // One starting point for all: rank 0's weights (a resumed run's checkpoint is the same on every rank).
    std::vector<torch::Tensor> state = m_network->parameters();
    for (const auto& buffer : m_network->buffers()) state.push_back(buffer);
    m_options.group->broadcastFromLeader(state);
}

Trainer::StepTally Trainer::takeStep(const Dataset& data, const torch::Tensor& indices, int64_t totalSteps,
                                     GradientAverage* gradientAverage, Feedback* feedback) {
    auto* group = m_options.group;
    const auto device = m_options.device;
    auto pixels = data.floatImages(indices);
    if (m_recipe.augment) {
        auto augmentGenerator = makeGenerator(m_recipe.seed, kAugmentStream + uint64_t(m_globalStep));
        pixels = augmentCropFlip(pixels, 4, augmentGenerator);
    }
    pixels = toDevice(pixels, device);
    const auto labels = toDevice(data.labels.index_select(0, indices), device);

    for (auto& parameterGroup : m_optimizer->param_groups()) {
        parameterGroup.options().set_lr(m_recipe.learningRateAt(m_globalStep, totalSteps));
    }
    auto attackGenerator = makeGenerator(m_recipe.seed, kAttackStream + uint64_t(m_globalStep));
    torch::Tensor logits;
    torch::Tensor loss;
    try {
        AutocastScope autocast(device, m_options.precision);
        // A rank stops only between steps, with the others (a cancel inside one rank's attack would leave
        // the others waiting in the gradient average).
        BatchShard rows{indices.size(0) * worldSize(), group ? group->rank() : 0, worldSize()};
        loss = trainingLoss(pixels, labels, attackGenerator, logits, rows, group ? nullptr : feedback);
    } catch (const Cancelled&) {  // cancelled inside the attack: this step is not taken
        checkpointIfCancelled(feedback);
        throw;
    }
    const double lossValue = loss.item<double>();
    if (!std::isfinite(lossValue)) {
        std::string where = "training stopped at step " + std::to_string(m_globalStep + 1) + ": the loss is " +
                            (std::isnan(lossValue) ? "NaN" : "infinite") + " (learning rate too high?)";
        if (m_haveGoodCheckpoint) where += "; the last good checkpoint is kept at " + m_options.checkpointPath.string();
        throw TrainingDiverged(where);
    }
    m_optimizer->zero_grad();
    if (gradientAverage)
        gradientAverage->backward(loss);
    else
        loss.backward();
    m_optimizer->step();
    ++m_globalStep;
    return {lossValue, logits.argmax(1).eq(labels).sum().item<int64_t>(), indices.size(0)};
}

void Trainer::reportWindow(ProgressWindow& window, const BatchLayout& layout, std::chrono::steady_clock::time_point started,
                           Feedback* feedback) {
    const auto now = std::chrono::steady_clock::now();
    const double windowSeconds = std::chrono::duration<double>(now - window.start).count();
    if (auto* group = m_options.group) {  // the window over all ranks: the loss of the global batches, their accuracy and speed
        auto totals = torch::tensor({window.loss, double(window.correct), double(window.examples)}, torch::kFloat64);
        group->sum(totals);
        window.loss = totals[0].item<double>() / double(worldSize());
        window.correct = int64_t(totals[1].item<double>());
        window.examples = int64_t(totals[2].item<double>());
    }
    TrainProgress progress;
    progress.step = m_globalStep;
    progress.totalSteps = layout.totalSteps;
    progress.epoch = (m_globalStep - 1) / layout.stepsPerEpoch;
    progress.loss = window.loss / double(window.steps);
    progress.accuracy = double(window.correct) / double(window.examples);
    progress.examplesPerSecond = windowSeconds > 0 ? double(window.examples) / windowSeconds : 0.0;
    progress.elapsedSeconds = std::chrono::duration<double>(now - started).count();
    if (m_options.observer) m_options.observer(progress);
    char status[96];
    std::snprintf(status, sizeof status, "step %lld of %lld, loss %.4f", static_cast<long long>(m_globalStep),
                  static_cast<long long>(layout.totalSteps), progress.loss);
    reportProgress(feedback, double(m_globalStep) / double(layout.totalSteps), status);
    window = ProgressWindow{now};
}

void Trainer::run(const Dataset& data, Feedback* feedback) {
    TORCH_CHECK(data.size() > 0, "training set is empty");
    const int64_t sampleCount = data.size();
    const int64_t batchSize = std::min(m_recipe.batchSize, sampleCount);
    if (batchSize % worldSize() != 0) {
        throw InputError("--batch-size " + std::to_string(batchSize),
                         "must divide evenly over the " + std::to_string(worldSize()) +
                             " ranks (the global batch is the recipe's; each rank takes its share)");
    }
    const auto layout = batchLayout(sampleCount);
    startFromLeadersWeights();
    const auto gradientAverage = m_options.group ? m_options.group->gradientAverage(m_network->parameters()) : nullptr;
    const auto started = std::chrono::steady_clock::now();
    ProgressWindow window{started};
    torch::Tensor order;
    int64_t orderEpoch = -1;

    const auto notifyStep = [&] {
        if (!m_options.onStep) return;
        m_options.onStep({m_globalStep, layout.totalSteps, layout.stepsPerEpoch}, m_network);
        m_network->train();
    };
    m_network->train();
    notifyStep();
    while (m_globalStep < layout.totalSteps) {
        checkpointIfCancelled(feedback);
        const int64_t epoch = m_globalStep / layout.stepsPerEpoch;
        if (epoch != orderEpoch) {
            order = epochOrder(sampleCount, m_recipe.seed, epoch);
            orderEpoch = epoch;
        }
        const auto indices = shardOfBatch(order, m_globalStep % layout.stepsPerEpoch, layout.localBatch);
        const auto tally = takeStep(data, indices, layout.totalSteps, gradientAverage.get(), feedback);
        window.loss += tally.loss;
        window.correct += tally.correct;
        window.examples += tally.examples;
        ++window.steps;

        const bool epochEnds = m_globalStep % layout.stepsPerEpoch == 0;
        if (m_globalStep % m_options.reportEverySteps == 0 || m_globalStep == layout.totalSteps || epochEnds) {
            reportWindow(window, layout, started, feedback);
        }
        notifyStep();
        if (epochEnds || (m_options.checkpointEverySteps > 0 && m_globalStep % m_options.checkpointEverySteps == 0)) {
            writeCheckpoint();
        }
    }
    writeCheckpoint();
    m_network->eval();
}

}  // namespace sw
