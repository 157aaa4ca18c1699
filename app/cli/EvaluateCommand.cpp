#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "jobs/EvaluateJob.h"

namespace sw::cli {

namespace {

void printSummary(const std::string& document) {
    const auto json = nlohmann::json::parse(document);
    const auto& summary = json["summary"];
    std::printf("%s  %s  scored %lld of %lld\n", json["model"].value("badge", "").c_str(),
                json["method"].value("method", "").c_str(), static_cast<long long>(json["n_scored"].get<int64_t>()),
                static_cast<long long>(json["n_total"].get<int64_t>()));
    std::printf("  accuracy          %.4f\n", summary["accuracy"].get<double>());
    if (summary.contains("robust_accuracy")) std::printf("  robust accuracy   %.4f\n", summary["robust_accuracy"].get<double>());
    if (summary.contains("sparseness")) std::printf("  sparseness (Gini) %.4f\n", summary["sparseness"]["mean"].get<double>());
    for (const char* name : {"ris", "ros"}) {
        if (!summary.contains(name)) continue;
        const auto& s = summary[name];
        std::printf("  %s  mean %.4g  median %.4g  log10(mean) %.3f  NaN %lld\n", name, s["mean"].is_null() ? NAN : s["mean"].get<double>(),
                    s["median"].is_null() ? NAN : s["median"].get<double>(), s["log10_mean"].is_null() ? NAN : s["log10_mean"].get<double>(),
                    static_cast<long long>(s["nan_count"].get<int64_t>()));
    }
    for (const char* name : {"ssim", "topk", "spearman"}) {
        if (!summary.contains(name)) continue;
        std::printf("  %-8s", name);
        const auto& curve = summary[name];
        for (size_t i = 0; i < curve["sigma"].size(); ++i) {
            std::printf("  σ=%.2f:%.3f", curve["sigma"][i].get<double>(), curve["mean"][i].is_null() ? NAN : curve["mean"][i].get<double>());
        }
        std::printf("\n");
    }
}

}  // namespace

void addEvaluateCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("evaluate", "The paper's protocol: accuracy, Gini, RIS, ROS, SSIM curve, ...");
    struct Options {
        EvaluateRequest request;
        bool signedMaps = false;
        std::string metrics = "accuracy,sparseness,ris,ros,ssim", noise;
        TorchScriptFlags torchScript;
        bool keepChangedPredictions = false;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--model", request.modelPath)->required();
    command->add_option("--dataset", request.datasetSpec)->capture_default_str();
    command->add_option("--limit", request.limit, "First N samples")->capture_default_str();
    addSaliencyOptions(*command, request.saliency, options->signedMaps);
    command->add_option("--metrics", options->metrics,
                        "accuracy, robust_accuracy, sparseness, ris, ros, ssim, topk, spearman")->capture_default_str();
    command->add_option("--samples", request.stabilitySamples, "RIS/ROS perturbations per input")->capture_default_str();
    command->add_option("--stability-noise-low", request.stabilityNoiseLow, "RIS/ROS perturbation x' = x + U(low, high)")->capture_default_str();
    command->add_option("--stability-noise-high", request.stabilityNoiseHigh)->capture_default_str();
    command->add_option("--eps-min", request.epsMin, "Replaces zero divisors in RIS/ROS")->capture_default_str();
    command->add_flag("--keep-changed-predictions", options->keepChangedPredictions,
                      "Score perturbations that change the prediction instead of marking the instance NaN");
    command->add_option("--noise", options->noise, "Noise sigmas for the SSIM/top-k/Spearman curves (default: the authors' 8)");
    command->add_option("--seed", request.seed)->capture_default_str();
    command->add_option("--batch-size", request.batchSize)->capture_default_str();
    addComputeOptions(*command, request.device, request.threads);
    options->torchScript.addTo(*command);
    command->add_option("--json", request.jsonPath, "Evaluation JSON to write")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        request.saliency.absolute = !options->signedMaps;
        request.nanWhenPredictionChanges = !options->keepChangedPredictions;
        try {
            request.metrics = splitCommaList(options->metrics);
            request.noiseLevels = parseNumberList(options->noise, "--noise");
            request.inputShape = options->torchScript.shape();
            request.classNames = options->torchScript.classNames();
        } catch (const std::exception& error) {
            exitCode = reportOutcome(JobResult::failed(error.what()));
            return;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        std::string document;
        const auto result = runEvaluateJob(request, feedback, &document);
        exitCode = reportOutcome(result);
        if (result.outcome == Outcome::Completed) printSummary(document);
    });
}

void addCurvesCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("curves", "Stability perturbation curves of several models, as one tidy CSV");
    struct Options {
        CurvesRequest request;
        bool signedMaps = false;
        std::string models, measures = "ssim", noise;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--models", options->models, "Comma-separated model files")->required();
    command->add_option("--dataset", request.datasetSpec)->capture_default_str();
    command->add_option("--limit", request.limit)->capture_default_str();
    addSaliencyOptions(*command, request.saliency, options->signedMaps);
    command->add_option("--measure", options->measures, "ssim, topk, spearman, ris, ros (comma-separated)")->capture_default_str();
    command->add_option("--noise", options->noise, "Noise sigmas (default: the authors' 8)");
    command->add_option("--seed", request.seed)->capture_default_str();
    addComputeOptions(*command, request.device, request.threads);
    command->add_option("--csv", request.csvPath, "CSV to write")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        request.saliency.absolute = !options->signedMaps;
        try {
            request.modelPaths = splitCommaList(options->models);
            request.measures = splitCommaList(options->measures);
            request.noiseLevels = parseNumberList(options->noise, "--noise");
        } catch (const std::exception& error) {
            exitCode = reportOutcome(JobResult::failed(error.what()));
            return;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        const auto result = runCurvesJob(request, feedback, [](const CurveRow& row) {
            std::printf("%-24s %-8s %-8s σ=%.2f  %.4f [%.4f, %.4f]  n=%lld\n", row.model.c_str(), row.method.c_str(),
                        row.measure.c_str(), row.noiseSigma, row.mean, row.ciLow, row.ciHigh, static_cast<long long>(row.n));
            std::fflush(stdout);
        });
        exitCode = reportOutcome(result);
    });
}

}  // namespace sw::cli
