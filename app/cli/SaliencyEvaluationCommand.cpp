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

double number(const nlohmann::json& value) { return value.is_null() ? NAN : value.get<double>(); }

/// The evaluation as a reader wants it on a terminal: what was scored and why, each measure with its meaning.
void printSummary(const std::string& document) {
    const auto json = nlohmann::json::parse(document);
    const auto& summary = json["summary"];
    const auto scored = json["n_scored"].get<int64_t>(), total = json["n_total"].get<int64_t>();
    std::printf("%s, %s (%s)\n", json["model"].value("badge", "").c_str(), json["method"].value("method", "").c_str(),
                json.value("precision", "fp32").c_str());
    std::printf("  accuracy            %.4f\n", summary["accuracy"].get<double>());
    if (summary.contains("robust_accuracy")) std::printf("  robust accuracy     %.4f\n", summary["robust_accuracy"].get<double>());
    std::printf("  scored %lld of %lld inputs: the maps' measures use only the correctly classified ones\n", static_cast<long long>(scored),
                static_cast<long long>(total));
    if (summary.contains("sparseness"))
        std::printf("  sparseness (Gini)   %.4f   (0 = spread evenly, 1 = one pixel; higher = sparser)\n",
                    summary["sparseness"]["mean"].get<double>());
    for (const char* name : {"ris", "ros"}) {
        if (!summary.contains(name)) continue;
        const auto& s = summary[name];
        std::printf("  %s                 mean %.4g, median %.4g, log10(mean) %.3f   (lower = more stable)\n",
                    name == std::string("ris") ? "RIS" : "ROS", number(s["mean"]), number(s["median"]), number(s["log10_mean"]));
        const auto nans = s["nan_count"].get<int64_t>();
        if (nans > 0)
            std::printf(
                "                      %lld of the scored inputs left out: a perturbation changed their prediction (Quantus' rule)\n",
                static_cast<long long>(nans));
    }
    for (const char* name : {"curvature", "hessian"}) {
        if (!summary.contains(name)) continue;
        std::printf("  %-19s mean %.4g, median %.4g   (lower = locally flatter)\n", name, number(summary[name]["mean"]),
                    number(summary[name]["median"]));
    }
    if (summary.contains("rank_correlations")) {
        for (const auto& [pair, value] : summary["rank_correlations"].items()) {
            std::printf("  %-19s Spearman %.3f over %lld images   (> 0: the flatter, the more stable)\n", pair.c_str(),
                        number(value["spearman"]), static_cast<long long>(value["n"].get<int64_t>()));
        }
    }
    for (const char* name : {"ssim", "topk", "spearman"}) {
        if (!summary.contains(name)) continue;
        std::printf("  %-19s", name);
        const auto& curve = summary[name];
        for (size_t i = 0; i < curve["sigma"].size(); ++i)
            std::printf(" σ=%.2f:%.3f", curve["sigma"][i].get<double>(), number(curve["mean"][i]));
        std::printf("   (map similarity, clean vs noisy; higher = more stable)\n");
    }
    if (summary.contains("road")) {
        const auto& road = summary["road"];
        std::printf("  ROAD AOPC           ");
        if (road.contains("morf")) std::printf("MoRF %.4f (higher = the map finds what matters)", number(road["morf"]["aopc"]));
        if (road.contains("lerf"))
            std::printf("%sLeRF %.4f (lower is better)", road.contains("morf") ? ", " : "", number(road["lerf"]["aopc"]));
        std::printf("\n");
    }
}

}  // namespace

void addSaliencyEvaluationCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("evaluate", "The paper's protocol: accuracy, Gini, RIS, ROS, SSIM curve, ...");
    command->footer(
        "Examples:\n  saliency-cli evaluate --model robust.swm --dataset fmnist:test --limit 200 --method ig\n"
        "  saliency-cli evaluate --model robust.swm --limit 1000 --metrics accuracy,sparseness,ris,ros,road --json evaluation.json");
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
    command->add_option("--json", request.jsonPath, "Also write the evaluation JSON (docs/METRICS.md) to this file");
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
