#include "metrics/EvaluationProtocol.h"

#include <algorithm>

#include "explain/SaliencyExplainer.h"
#include "metrics/LocalCurvature.h"
#include "metrics/RelativeStability.h"
#include "metrics/Road.h"
#include "metrics/Sparseness.h"
#include "metrics/StabilityCurve.h"
#include "train/Evaluation.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

namespace {

bool wants(const std::vector<std::string>& metrics, const std::string& name) {
    return std::find(metrics.begin(), metrics.end(), name) != metrics.end();
}

std::vector<double> toVector(const torch::Tensor& values) {
    const auto contiguous = values.to(torch::kCPU, torch::kFloat64).contiguous();
    return {contiguous.data_ptr<double>(), contiguous.data_ptr<double>() + contiguous.numel()};
}

}  // namespace

void validateEvaluationMetrics(const std::vector<std::string>& metrics) {
    static const std::vector<std::string> known = {"accuracy", "robust_accuracy", "sparseness", "ris", "ros", "ssim",
                                                   "topk", "spearman", "road", "curvature", "localisation"};
    for (const auto& metric : metrics) {
        if (!wants(known, metric)) {
            throw InputError("--metrics " + metric, "unknown measure; expected accuracy, robust_accuracy, sparseness, "
                                                    "ris, ros, ssim, topk, spearman, road, curvature or localisation");
        }
    }
}

std::optional<nlohmann::json> evaluateProtocol(ImageClassifier& model, const Dataset& data, const EvaluateRequest& request,
                                               Feedback& feedback) {
    validateEvaluationMetrics(request.metrics);
    if (request.batchSize < 1) throw InputError("--batch-size " + std::to_string(request.batchSize), "must be at least 1");
    if (request.stabilitySamples < 1) throw InputError("--samples " + std::to_string(request.stabilitySamples), "needs at least one perturbation");
    if (!(request.stabilityNoiseHigh > request.stabilityNoiseLow)) {
        throw InputError("--stability-noise-high", "must be larger than --stability-noise-low");
    }
    if (data.size() == 0) throw InputError("dataset " + data.spec, "holds no samples");
    const auto device = model.device();
    model.setTrainingMode(false);
    SaliencyExplainer explainer(model, request.saliency);

    nlohmann::json perSample = nlohmann::json::array();
    std::vector<double> gini, ris, ros;
    int64_t correctCount = 0;
    if (wants(request.metrics, "localisation") && !data.masks.defined()) {
        throw InputError("--metrics localisation", "needs a dataset with ground-truth masks (the shapes set), not " + data.spec);
    }
    const bool needMaps = wants(request.metrics, "sparseness") || wants(request.metrics, "ris") || wants(request.metrics, "ros") ||
                          wants(request.metrics, "curvature") || wants(request.metrics, "localisation");
    std::vector<double> curvature, energy, pointing;
    const int64_t count = data.size();
    std::vector<torch::Tensor> correctIndices;
    std::vector<torch::Tensor> cleanAttributions;  // reused by the stability curves
    for (int64_t begin = 0; begin < count; begin += request.batchSize) {
        if (feedback.isCancelled()) return std::nullopt;
        const auto indices = torch::arange(begin, std::min(count, begin + request.batchSize), torch::kInt64);
        const auto pixels = toDevice(data.floatImages(indices), device);
        const auto labels = data.labels.index_select(0, indices);
        torch::Tensor predictions;
        {
            torch::NoGradGuard noGrad;
            predictions = model.logits(pixels).argmax(1).cpu();
        }
        const auto correct = predictions.eq(labels).nonzero().flatten();
        correctIndices.push_back(indices.index_select(0, correct));
        correctCount += correct.numel();
        if (!needMaps || correct.numel() == 0) continue;
        const auto scoredPixels = pixels.index_select(0, correct.to(device));
        const auto scoredLabels = labels.index_select(0, correct);
        const auto targets = explainer.resolveTargets(scoredPixels, scoredLabels);
        const auto attributions = explainer.attribute(scoredPixels, targets, &feedback);
        if (!attributions.defined()) return std::nullopt;
        cleanAttributions.push_back(attributions.cpu());
        const auto batchGini = toVector(giniIndex(attributions));
        std::vector<double> batchRis(batchGini.size(), 0.0), batchRos(batchGini.size(), 0.0);
        if (wants(request.metrics, "ris") || wants(request.metrics, "ros")) {
            RelativeStabilityOptions options;
            options.samples = request.stabilitySamples;
            options.noiseLow = request.stabilityNoiseLow;
            options.noiseHigh = request.stabilityNoiseHigh;
            options.epsMin = request.epsMin;
            options.nanWhenPredictionChanges = request.nanWhenPredictionChanges;
            options.seed = request.seed + uint64_t(begin);
            ExplainedModel explained{[&](const torch::Tensor& x) { return model.logits(x); },
                                     [&](const torch::Tensor& x, const torch::Tensor& t) { return explainer.attribute(x, t); }};
            const auto scores = relativeStability(explained, scoredPixels, targets, attributions, options);
            batchRis = toVector(scores.ris);
            batchRos = toVector(scores.ros);
        }
        std::vector<double> batchCurvature, batchEnergy, batchPointing;
        if (wants(request.metrics, "curvature")) {
            batchCurvature = toVector(localCurvature(
                [&](const torch::Tensor& x) { return explainer.inputGradients(x, targets, nullptr); }, scoredPixels, 0.01, 3,
                request.seed + uint64_t(begin)));
        }
        if (wants(request.metrics, "localisation")) {
            const auto maps = heatmapOf(attributions, request.saliency.heatmapReduction);
            const auto masks = data.masks.index_select(0, indices.index_select(0, correct));
            batchEnergy = toVector(energyInMask(maps, masks));
            batchPointing = toVector(pointingGameHits(maps, masks));
        }
        for (size_t i = 0; i < batchGini.size(); ++i) {
            const auto index = begin + correct[int64_t(i)].item<int64_t>();
            nlohmann::json row = {{"index", index}, {"label", data.labels[index].item<int64_t>()},
                                  {"prediction", predictions[correct[int64_t(i)].item<int64_t>()].item<int64_t>()}};
            if (wants(request.metrics, "sparseness")) {
                row["sparseness"] = batchGini[i];
                gini.push_back(batchGini[i]);
            }
            const auto finiteOrNull = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
            if (wants(request.metrics, "ris")) {
                row["ris"] = finiteOrNull(batchRis[i]);
                ris.push_back(batchRis[i]);
            }
            if (wants(request.metrics, "ros")) {
                row["ros"] = finiteOrNull(batchRos[i]);
                ros.push_back(batchRos[i]);
            }
            if (!batchCurvature.empty()) {
                row["curvature"] = batchCurvature[i];
                curvature.push_back(batchCurvature[i]);
            }
            if (!batchEnergy.empty()) {
                row["energy_in_mask"] = batchEnergy[i];
                row["pointing_hit"] = batchPointing[i];
                energy.push_back(batchEnergy[i]);
                pointing.push_back(batchPointing[i]);
            }
            perSample.push_back(row);
        }
        feedback.setProgress(0.6 * double(begin + indices.size(0)) / double(count), "explaining and scoring");
    }

    nlohmann::json summary = {{"accuracy", double(correctCount) / double(count)}};
    if (wants(request.metrics, "sparseness")) summary["sparseness"] = summarize(gini, request.seed).toJson();
    if (wants(request.metrics, "ris")) summary["ris"] = summarize(ris, request.seed).toJson(true);
    if (wants(request.metrics, "ros")) summary["ros"] = summarize(ros, request.seed).toJson(true);
    if (wants(request.metrics, "curvature")) summary["curvature"] = summarize(curvature, request.seed).toJson();
    if (wants(request.metrics, "localisation")) {
        summary["energy_in_mask"] = summarize(energy, request.seed).toJson();
        summary["pointing_game"] = summarize(pointing, request.seed).toJson();
    }
    if (wants(request.metrics, "road")) {
        // ROAD scores every input (accuracy is its measure), with maps for the configured target.
        const auto all = torch::arange(count, torch::kInt64);
        const auto pixels = toDevice(data.floatImages(all), device);
        std::vector<torch::Tensor> maps;
        for (int64_t begin = 0; begin < count; begin += request.batchSize) {
            const auto part = pixels.slice(0, begin, begin + request.batchSize);
            const auto attributions = explainer.attribute(part, explainer.resolveTargets(part, data.labels.slice(0, begin, begin + request.batchSize)), &feedback);
            if (!attributions.defined()) return std::nullopt;
            maps.push_back(heatmapOf(attributions, request.saliency.heatmapReduction).cpu());
        }
        const auto heatmaps = torch::cat(maps);
        const auto logitsOf = [&](const torch::Tensor& x) {
            std::vector<torch::Tensor> parts;
            for (int64_t b = 0; b < x.size(0); b += request.batchSize) parts.push_back(model.logits(x.slice(0, b, b + request.batchSize)));
            return torch::cat(parts);
        };
        nlohmann::json road;
        for (const bool mostRelevantFirst : {true, false}) {
            RoadOptions options;
            options.mostRelevantFirst = mostRelevantFirst;
            options.seed = request.seed;
            const auto curve = roadCurve(logitsOf, pixels, data.labels, heatmaps, options);
            road["percentages"] = options.percentages;
            road["base_accuracy"] = curve.baseAccuracy;
            road[mostRelevantFirst ? "morf" : "lerf"] = {{"accuracy", curve.accuracy}, {"aopc", curve.aopc}};
        }
        summary["road"] = road;
    }

    std::vector<std::string> curveMeasures;
    for (const char* measure : {"ssim", "topk", "spearman"}) {
        if (wants(request.metrics, measure)) curveMeasures.push_back(measure);
    }
    if (!curveMeasures.empty()) {
        StabilityCurveOptions options;
        if (!request.noiseLevels.empty()) options.noiseLevels = request.noiseLevels;
        options.measures = curveMeasures;
        options.seed = request.seed;
        const auto all = torch::arange(count, torch::kInt64);
        const auto points = stabilityCurve(model, explainer, data.floatImages(all), data.labels, options, {}, &feedback,
                                           cleanAttributions.empty() ? torch::Tensor() : torch::cat(cleanAttributions));
        if (feedback.isCancelled()) return std::nullopt;
        for (const auto& measure : curveMeasures) {
            nlohmann::json curve = {{"sigma", nlohmann::json::array()}, {"mean", nlohmann::json::array()},
                                    {"ci95", nlohmann::json::array()}, {"n", nlohmann::json::array()}};
            for (const auto& point : points) {
                if (point.measure != measure) continue;
                curve["sigma"].push_back(point.noiseSigma);
                curve["mean"].push_back(point.statistics.mean);
                curve["ci95"].push_back({point.statistics.ci95Low, point.statistics.ci95High});
                curve["n"].push_back(point.kept);
            }
            summary[measure] = curve;
        }
    }
    if (wants(request.metrics, "robust_accuracy")) {
        AccuracyOptions options;
        options.seed = request.seed;
        const auto attack = robustnessAttackFor(model.description());
        options.attack = attack;
        const auto report = evaluateAccuracy(model, data, options, feedback);
        if (report.cancelled) return std::nullopt;
        summary["robust_accuracy"] = *report.robustAccuracy;
        summary["robust_attack"] = attack.toJson();
    }
    auto modelJson = model.description().toJson();
    modelJson["path"] = request.modelPath;
    modelJson["badge"] = model.description().badge();
    return nlohmann::json {{"model", modelJson}, {"dataset", data.spec}, {"method", request.saliency.toJson()},
                                     {"seed", request.seed}, {"n_total", count}, {"n_scored", correctCount},
                                     {"summary", summary}, {"per_sample", perSample}};
}

}  // namespace sw
