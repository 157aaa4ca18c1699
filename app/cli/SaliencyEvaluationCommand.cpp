#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "jobs/SaliencyEvaluationJob.h"
#include "metrics/EvaluationMeasures.h"

namespace sw::cli {

namespace {

void printSummary(const std::string& document) {
    const auto json = nlohmann::json::parse(document);
    const auto& summary = json["summary"];
    std::printf("%s  %s  scored %lld of %lld\n", json["model"].value("badge", "").c_str(), json["method"].value("method", "").c_str(),
                static_cast<long long>(json["n_scored"].get<int64_t>()), static_cast<long long>(json["n_total"].get<int64_t>()));
    std::printf("  accuracy          %.4f\n", summary["accuracy"].get<double>());
    if (summary.contains("robust_accuracy")) std::printf("  robust accuracy   %.4f\n", summary["robust_accuracy"].get<double>());
    if (summary.contains("sparseness")) std::printf("  sparseness (Gini) %.4f\n", summary["sparseness"]["mean"].get<double>());
    for (const char* name : {"ris", "ros"}) {
        if (!summary.contains(name)) continue;
        const auto& s = summary[name];
        std::printf("  %s  mean %.4g  median %.4g  log10(mean) %.3f  NaN %lld\n", name, s["mean"].is_null() ? NAN : s["mean"].get<double>(),
                    s["median"].is_null() ? NAN : s["median"].get<double>(),
                    s["log10_mean"].is_null() ? NAN : s["log10_mean"].get<double>(), static_cast<long long>(s["nan_count"].get<int64_t>()));
    }
    for (const char* name : {"ssim", "topk", "spearman"}) {
        if (!summary.contains(name)) continue;
        std::printf("  %-8s", name);
        const auto& curve = summary[name];
        for (size_t i = 0; i < curve["sigma"].size(); ++i) {
            std::printf("  σ=%.2f:%.3f", curve["sigma"][i].get<double>(),
                        curve["mean"][i].is_null() ? NAN : curve["mean"][i].get<double>());
        }
        std::printf("\n");
    }
}

}  // namespace

void addSaliencyEvaluationCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("evaluate", "The paper's protocol: accuracy, Gini, RIS, ROS, SSIM curve, ...");
    command->footer(
        "Example:\n  saliency-cli evaluate --model robust.swm --dataset fmnist:test --limit 200 --method ig --json evaluation.json");
    struct Options {
        SaliencyEvaluationRequest request;
        bool signedMaps = false;
        std::string metrics = joinCommaList(defaultProtocolMeasures()), noise;
        TorchScriptFlags torchScript;
        bool keepChangedPredictions = false;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    auto& protocol = request.protocol;
    command->add_option("--model", request.modelPath, "Model file: .swm, or TorchScript .pt (see --input-shape)")->required();
    command->add_option("--dataset", request.datasetSpec, "Dataset SPEC (default split: test)")->capture_default_str();
    command->add_option("--limit", request.limit, "First N samples")->capture_default_str();
    addSaliencyOptions(*command, protocol.saliency, options->signedMaps);
    command->add_option("--metrics", options->metrics, "Comma-separated: " + evaluationMeasureIdList())->capture_default_str();
    command->add_option("--samples", protocol.stabilitySamples, "RIS/ROS perturbations per input")->capture_default_str();
    command->add_option("--stability-noise-low", protocol.stabilityNoiseLow, "RIS/ROS perturbation x' = x + U(low, high)")
        ->capture_default_str();
    command->add_option("--stability-noise-high", protocol.stabilityNoiseHigh, "Upper end of the RIS/ROS perturbation")
        ->capture_default_str();
    command->add_option("--eps-min", protocol.epsMin, "Replaces zero divisors in RIS/ROS")->capture_default_str();
    command->add_flag("--keep-changed-predictions", options->keepChangedPredictions,
                      "Score perturbations that change the prediction instead of marking the instance NaN");
    command->add_option("--noise", options->noise, "Noise sigmas for the SSIM/top-k/Spearman curves (default: the authors' 8)");
    command->add_option("--seed", protocol.seed, "Seed of the perturbations, the noise and the bootstrap")->capture_default_str();
    command->add_option("--batch-size", protocol.batchSize, "Images per forward/backward pass")->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision);
    options->torchScript.addTo(*command);
    command->add_option("--json", request.jsonPath, "Evaluation JSON to write")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        auto& protocol = request.protocol;
        protocol.saliency.absolute = !options->signedMaps;
        protocol.nanWhenPredictionChanges = !options->keepChangedPredictions;
        if (!parsedOrReported(exitCode, [&] {
                protocol.metrics = splitCommaList(options->metrics);
                protocol.noiseLevels = parseNumberList(options->noise, "--noise");
                request.inputShape = options->torchScript.shape();
                request.classNames = options->torchScript.classNames();
            })) {
            return;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        std::string document;
        const auto result = runSaliencyEvaluationJob(request, feedback, &document);
        exitCode = reportOutcome(result);
        if (result.outcome == Outcome::Completed) printSummary(document);
    });
}

}  // namespace sw::cli
