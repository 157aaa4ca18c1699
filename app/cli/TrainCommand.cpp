#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "CommandLineParsing.h"
#include "RecordingOptions.h"
#include "Commands.h"
#include "data/DatasetSpec.h"
#include "distributed/RankReports.h"
#include "jobs/TrainJob.h"
#include "jobs/TrainRequestFile.h"
#include "util/InputError.h"

namespace sw::cli {

namespace {

struct TrainOptions {
    TrainRequest request;
    std::string preset;
    std::string smoothKind = "none";
    std::string smoothAfter = "pool1";
    int64_t smoothKernel = 3;
    double smoothSigma = 0.0;
    bool noRandomStart = false;
    std::string requestFile;
    std::string distBackend = "auto";
    int distTimeoutSeconds = 120;
};

/// Prints a live progress line: rewritten in place on a terminal, one line every few seconds otherwise.
class ProgressLine {
public:
    ProgressLine() : m_terminal(::isatty(STDERR_FILENO) != 0) {}
    void show(const TrainProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        const bool last = p.step == p.totalSteps;
        if (!m_terminal && !last && now - m_lastPrinted < std::chrono::seconds(5)) return;
        m_lastPrinted = now;
        const double remaining = p.step > 0 ? p.elapsedSeconds * double(p.totalSteps - p.step) / double(p.step) : 0.0;
        std::fprintf(stderr, "%sstep %lld/%lld  epoch %lld  loss %.4f  train acc %5.1f %%  %6.0f ex/s  eta %4.0f s%s",
                     m_terminal ? "\r" : "", static_cast<long long>(p.step), static_cast<long long>(p.totalSteps),
                     static_cast<long long>(p.epoch + 1), p.loss, 100.0 * p.accuracy, p.examplesPerSecond, remaining,
                     m_terminal && !last ? "" : "\n");
        std::fflush(stderr);
    }

private:
    bool m_terminal;
    std::chrono::steady_clock::time_point m_lastPrinted{};
};

void applyOptions(CLI::App& command, TrainOptions& options) {
    auto& recipe = options.request.recipe;
    if (!options.preset.empty()) {
        // A preset sets the recipe; flags given explicitly still win.
        TrainRecipe explicitRecipe = recipe;
        recipe = TrainRecipe::preset(options.preset);
        auto given = [&](const char* name) { return command.get_option(name)->count() > 0; };
        if (given("--optimizer")) recipe.optimizer = explicitRecipe.optimizer;
        if (given("--lr")) recipe.learningRate = explicitRecipe.learningRate;
        if (given("--momentum")) recipe.momentum = explicitRecipe.momentum;
        if (given("--nesterov")) recipe.nesterov = explicitRecipe.nesterov;
        if (given("--weight-decay")) recipe.weightDecay = explicitRecipe.weightDecay;
        if (given("--schedule")) recipe.schedule = explicitRecipe.schedule;
        if (given("--milestones")) recipe.milestones = explicitRecipe.milestones;
        if (given("--epochs")) recipe.epochs = explicitRecipe.epochs;
        if (given("--max-steps")) recipe.maxSteps = explicitRecipe.maxSteps;
        if (given("--batch-size")) recipe.batchSize = explicitRecipe.batchSize;
        if (given("--augment")) recipe.augment = explicitRecipe.augment;
        if (given("--seed")) recipe.seed = explicitRecipe.seed;
        if (given("--adv")) recipe.adversarial.kind = explicitRecipe.adversarial.kind;
        if (given("--eps")) recipe.adversarial.epsilon = explicitRecipe.adversarial.epsilon;
        if (given("--pgd-steps")) recipe.adversarial.steps = explicitRecipe.adversarial.steps;
        if (given("--step-size")) recipe.adversarial.stepSize = explicitRecipe.adversarial.stepSize;
        if (given("--adv-fraction")) recipe.adversarial.adversarialFraction = explicitRecipe.adversarial.adversarialFraction;
    }
    if (!options.requestFile.empty()) {
        // The whole run comes from the file (the GUI writes one for a data-parallel run); only the launch's
        // own options may be added.
        for (const auto* option : command.get_options()) {
            const auto name = option->get_name();
            if (option->count() > 0 && name != "--request" && name != "--dist-backend" && name != "--dist-timeout" && name != "--help")
                throw InputError(name, "cannot be combined with --request " + options.requestFile + " (the file describes the whole run)");
        }
        options.request = readTrainRequest(options.requestFile);
    }
    if (options.noRandomStart) recipe.adversarial.randomStart = false;
    if (options.smoothKind != "none") {
        for (const auto& stage : splitCommaList(options.smoothAfter)) {
            SmoothingSpec block;
            block.kind = options.smoothKind;
            block.after = stage;
            block.kernelSize = options.smoothKernel;
            if (options.smoothSigma > 0.0) block.sigma = options.smoothSigma;
            options.request.smoothing.push_back(block);
        }
    }
    // One of several ranks when launched that way (saliency-cli launch, torchrun, srun): docs/SCALING.md.
    auto& distributed = options.request.distributed;
    distributed = DistributedLaunch::fromEnvironment();
    distributed.backend = options.distBackend;
    if (options.distTimeoutSeconds < 1) throw InputError("--dist-timeout", "expected 1 second or more");
    distributed.timeout = std::chrono::seconds(options.distTimeoutSeconds);
}

}  // namespace

void addTrainCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("train", "Train a classifier (natural or adversarial, with or without smoothing blocks)");
    command->footer(
        "Examples:\n"
        "  saliency-cli train --dataset fmnist --epochs 5 --out natural.swm\n"
        "  saliency-cli train --dataset fmnist --adv pgd --eps 0.1 --pgd-steps 7 --smooth gaussian --out robust-smooth.swm\n"
        "  (to continue a cancelled run, repeat its command with --resume robust-smooth.swm.ckpt)");
    auto options = std::make_shared<TrainOptions>();
    auto& request = options->request;
    auto& recipe = request.recipe;
    auto& attack = recipe.adversarial;
    command->add_option("--dataset", request.datasetSpec, kDatasetSpecForms)->capture_default_str();
    command->add_option("--arch", request.arch, "lenet, resnet18, resnet18-imagenet, wrn-D-W")->capture_default_str();
    command->add_option("--preset", options->preset,
                        "The authors' recipe: fmnist-natural, fmnist-adversarial, cifar10-wrn, imagenette-resnet18");
    command->add_option("--adv", attack.kind, "Adversarial training: none, pgd, fgsm-rs, trades")->capture_default_str();
    command->add_option("--eps", attack.epsilon, "L-infinity radius in pixel units [0,1]")->capture_default_str();
    command->add_option("--pgd-steps", attack.steps, "PGD/TRADES iterations")->capture_default_str();
    command->add_option("--step-size", attack.stepSize, "Attack step size (default eps/10; 1.25 eps for fgsm-rs)");
    command->add_flag("--no-random-start", options->noRandomStart, "Start PGD at the clean image");
    command->add_option("--adv-fraction", attack.adversarialFraction, "Weight of the adversarial loss; 1-f goes to the clean loss")
        ->capture_default_str();
    command->add_option("--trades-beta", attack.tradesBeta, "TRADES trade-off")->capture_default_str();
    command->add_option("--smooth", options->smoothKind, "Smoothing block: none, gaussian, mean, median")->capture_default_str();
    command->add_option("--smooth-kernel", options->smoothKernel, "Blur kernel size (odd)")->capture_default_str();
    command->add_option("--smooth-sigma", options->smoothSigma, "Gaussian sigma (default: the authors' rule from the map size)");
    command
        ->add_option("--smooth-after", options->smoothAfter,
                     "Stage(s) to insert after, comma-separated (lenet: pool1, pool2; resnets: stem, layer1..)")
        ->capture_default_str();
    command->add_option("--epochs", recipe.epochs, "Passes over the training set")->capture_default_str();
    command->add_option("--max-steps", recipe.maxSteps, "Step budget; overrides --epochs when > 0");
    command->add_option("--batch-size", recipe.batchSize, "Images per training step")->capture_default_str();
    command->add_option("--lr", recipe.learningRate, "Learning rate (the schedule's starting value)")->capture_default_str();
    command->add_option("--optimizer", recipe.optimizer, "adam or sgd")->capture_default_str();
    command->add_option("--momentum", recipe.momentum, "SGD momentum")->capture_default_str();
    command->add_flag("--nesterov", recipe.nesterov, "Nesterov momentum for SGD");
    command->add_option("--weight-decay", recipe.weightDecay, "L2 weight decay")->capture_default_str();
    command->add_option("--schedule", recipe.schedule, "constant, step or cosine")->capture_default_str();
    command->add_option("--milestones", recipe.milestones, "Global steps where the step schedule multiplies by --gamma")->delimiter(',');
    command->add_option("--gamma", recipe.gamma, "Factor the step schedule multiplies the learning rate by at each milestone")
        ->capture_default_str();
    command->add_flag("--augment", recipe.augment, "Random crop + horizontal flip");
    command->add_option("--seed", recipe.seed, "Seed of the initial weights, the batch order and the attacks")->capture_default_str();
    command->add_option("--normalize", request.normalization, "dataset or none")->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision, /*forTraining=*/true);
    // The older spelling of --precision bf16, kept for scripts that use it.
    command
        ->add_option_function<std::string>(
            "--amp",
            [&request](const std::string& value) {
                if (value != "none" && value != "bf16")
                    throw CLI::ValidationError("--amp " + value, "expected none or bf16 (or use --precision)");
                request.precision = value == "bf16" ? Precision::BF16 : Precision::Float32;
            },
            "Same as --precision bf16 (none: fp32)")
        ->group("");
    command->add_option("--out", request.outputPath, "Model file to write (required)");
    command->add_option("--request", options->requestFile,
                        "Train what this JSON file describes (written by the GUI for a data-parallel run) instead of the flags");
    command->add_option("--checkpoint", request.checkpointPath, "Checkpoint file (default OUT.ckpt)");
    command->add_option("--checkpoint-every", request.checkpointEverySteps, "Steps between checkpoints")->capture_default_str();
    command->add_option("--resume", request.resumeFrom, "Continue from this checkpoint");
    command->add_option("--log", request.logCsvPath, "CSV log of the run (default OUT.train.csv)");
    command->add_option("--eval-limit", request.evalLimit, "Test samples for the final accuracy (0 = all)");
    command->add_flag("--robust", request.evalRobust, "Also report robust accuracy under the training attack");
    command->add_option("--train-limit", request.trainLimit, "Use only the first N training samples");
    addTimelineRecordingOptions(*command, request.timeline);
    command
        ->add_option("--dist-backend", options->distBackend,
                     "Data-parallel runs: auto (NCCL for GPU ranks where built, else Gloo), gloo or nccl (docs/SCALING.md)")
        ->capture_default_str();
    command
        ->add_option("--dist-timeout", options->distTimeoutSeconds,
                     "Data-parallel runs: seconds a rank waits for the others before naming the ones it lost")
        ->capture_default_str();

    command->callback([command, options, &exitCode] {
        if (!parsedOrReported(exitCode, [&] { applyOptions(*command, *options); })) {
            return;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        ProgressLine line;
        const RankReporter launcher;  // reports to `saliency-cli launch` or the GUI when they started this rank
        const bool leader = options->request.distributed.isLeader();
        TrainSummary summary;
        auto result = runTrainJob(
            options->request, feedback,
            [&](const TrainProgress& p) {
                if (leader) line.show(p);
                launcher.report(p);
            },
            &summary);
        if (result.outcome == Outcome::Completed && leader) {
            // Rank 0 reports the run; the other ranks say one line.
            char text[512];
            std::snprintf(text, sizeof text, "%s: %s, %s (%lld steps, %.1f s)", summary.modelPath.c_str(), summary.badge.c_str(),
                          result.message.c_str(), static_cast<long long>(summary.steps), summary.seconds);
            result.message = text;
            if (summary.robustAccuracy) {
                std::snprintf(text, sizeof text, ", robust accuracy %.2f %%", 100.0 * *summary.robustAccuracy);
                result.message += text;
            }
            if (summary.timelineSnapshots > 0) {  // what recording cost, so a user can weigh it (docs/TIMELINE.md)
                std::snprintf(text, sizeof text, "\nsaliency timeline: %lld snapshots, %.1f s of the %.1f s of training spent recording",
                              static_cast<long long>(summary.timelineSnapshots), summary.recordingSeconds, summary.seconds);
                result.message += text;
            }
        }
        if (result.outcome == Outcome::Completed) std::printf("%s\n", result.message.c_str());
        exitCode = reportOutcome(result);
        if (result.outcome == Outcome::Cancelled && leader) {
            const auto& request = options->request;
            std::fprintf(stderr, "To continue, run the same command with --resume %s\n",
                         (request.checkpointPath.empty() ? request.outputPath + ".ckpt" : request.checkpointPath).c_str());
        }
    });
}

}  // namespace sw::cli
