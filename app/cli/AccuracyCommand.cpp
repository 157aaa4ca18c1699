#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "jobs/AccuracyJob.h"

namespace sw::cli {

void addAccuracyCommand(CLI::App& app, int& exitCode) {
    // Named for what it measures, beside `evaluate` (the paper's whole protocol); `eval`, its first name, still works.
    auto* command =
        app.add_subcommand("accuracy", "Clean (and robust) accuracy of a model on a dataset; the saliency measures are `evaluate`'s");
    command->alias("eval");
    command->footer("Example:\n  saliency-cli accuracy --model robust.swm --dataset fmnist:test --robust --json accuracy.json");
    struct Options {
        AccuracyRequest request;
        TorchScriptFlags torchScript;
        std::string attackKind;
        double epsilon = 0.0;
        int64_t steps = 0;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--model", request.modelPath, "Native model or TorchScript file")->required();
    command->add_option("--dataset", request.datasetSpec, "Dataset SPEC (default split: test)")->capture_default_str();
    command->add_option("--limit", request.limit, "First N samples (0 = all)");
    command->add_flag("--robust", request.robust, "Also robust accuracy (the model's training attack, else PGD)");
    command->add_option("--attack", options->attackKind, "Override the attack: pgd or fgsm-rs");
    command->add_option("--eps", options->epsilon, "Override the attack's epsilon");
    command->add_option("--pgd-steps", options->steps, "Override the attack's steps");
    command->add_option("--seed", request.seed, "Seed of the attack's random start (with --robust)")->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision);
    options->torchScript.addTo(*command);
    command->add_option("--json", request.jsonPath, "Write the results here");
    command->callback([options, &exitCode] {
        auto& request = options->request;
        if (!parsedOrReported(exitCode, [&] {
                request.inputShape = options->torchScript.shape();
                request.classNames = options->torchScript.classNames();
            })) {
            return;
        }
        if (!options->attackKind.empty() || options->epsilon > 0 || options->steps > 0) {
            AttackConfig attack;
            attack.kind = options->attackKind.empty() ? "pgd" : options->attackKind;
            if (options->epsilon > 0) attack.epsilon = options->epsilon;
            if (options->steps > 0) attack.steps = options->steps;
            request.attack = attack;
            request.robust = true;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        AccuracySummary summary;
        const auto result = runAccuracyJob(request, feedback, &summary);
        exitCode = reportOutcome(result);
        if (result.outcome == Outcome::Completed) {
            std::printf("accuracy %.2f %% on %lld samples\n", 100.0 * summary.accuracy, static_cast<long long>(summary.count));
            if (summary.robustAccuracy) {
                std::printf("robust accuracy %.2f %% under %s\n", 100.0 * *summary.robustAccuracy, summary.attackText.c_str());
            }
        }
    });
}

}  // namespace sw::cli
