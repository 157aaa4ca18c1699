#include "metrics/EvaluationProtocol.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "explain/SaliencyExplainer.h"
#include "metrics/LocalCurvature.h"
#include "metrics/MapSimilarity.h"
#include "models/Activation.h"
#include "metrics/RelativeStability.h"
#include "metrics/Road.h"
#include "metrics/Sparseness.h"
#include "metrics/StabilityCurve.h"
#include "train/Evaluation.h"
#include "util/ComputeDevice.h"
#include "util/Feedback.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace sw {

namespace {

std::vector<double> toVector(const torch::Tensor& values) {
    const auto contiguous = values.to(torch::kCPU, torch::kFloat64).contiguous();
    return {contiguous.data_ptr<double>(), contiguous.data_ptr<double>() + contiguous.numel()};
}

nlohmann::json finiteOrNull(double value) { return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value); }

/// What the protocol needs besides the options: the model, its explainer and the data.
struct ProtocolInputs {
    ImageClassifier& model;
    SaliencyExplainer& explainer;
    const Dataset& data;
    const ProtocolOptions& options;
    const MeasureSet& measures;
};

/// The per-input section: predictions on every input, and on the correctly classified ones their maps and
/// the per-input measures (Gini, RIS, ROS, curvature, localisation).
struct PerInputScores {
    int64_t correctCount = 0;
    torch::Tensor cleanAttributions;                    ///< of the correctly classified inputs, in order (CPU)
    std::map<std::string, std::vector<double>> values;  ///< per measure, over the scored inputs
    nlohmann::json perSample = nlohmann::json::array();
};

/// RIS and ROS of one batch, with perturbations seeded by the batch's first index.
std::pair<std::vector<double>, std::vector<double>> relativeStabilityOf(const ProtocolInputs& in, const torch::Tensor& pixels,
                                                                        const torch::Tensor& targets, const torch::Tensor& attributions,
                                                                        int64_t begin) {
    RelativeStabilityOptions stability;
    stability.samples = in.options.stabilitySamples;
    stability.noiseLow = in.options.stabilityNoiseLow;
    stability.noiseHigh = in.options.stabilityNoiseHigh;
    stability.epsMin = in.options.epsMin;
    stability.nanWhenPredictionChanges = in.options.nanWhenPredictionChanges;
    stability.seed = in.options.seed + uint64_t(begin);
    ExplainedModel explained{[&](const torch::Tensor& x) { return in.model.logits(x); },
                             [&](const torch::Tensor& x, const torch::Tensor& t) { return in.explainer.attribute(x, t); }};
    const auto scores = relativeStability(explained, pixels, targets, attributions, stability);
    return {toVector(scores.ris), toVector(scores.ros)};
}

PerInputScores scoreInputs(const ProtocolInputs& in, Feedback* feedback) {
    const auto& measures = in.measures;
    // The curves reuse these maps when there are any, and compute their own otherwise.
    const bool needMaps = measures.hasAny({"sparseness", "ris", "ros", "curvature", "hessian", "localisation"});
    const auto device = in.model.device();
    const int64_t count = in.data.size();
    const int64_t batchSize = in.options.batchSize;
    PerInputScores scores;
    std::vector<torch::Tensor> cleanAttributions;
    for (int64_t begin = 0; begin < count; begin += batchSize) {
        throwIfCancelled(feedback);
        const auto indices = torch::arange(begin, std::min(count, begin + batchSize), torch::kInt64);
        const auto pixels = toDevice(in.data.floatImages(indices), device);
        const auto labels = in.data.labels.index_select(0, indices);
        torch::Tensor predictions;
        {
            torch::NoGradGuard noGrad;
            predictions = in.model.logits(pixels).argmax(1).cpu();
        }
        const auto correct = predictions.eq(labels).nonzero().flatten();
        scores.correctCount += correct.numel();
        if (needMaps && correct.numel() > 0) {
            const auto scoredPixels = pixels.index_select(0, correct.to(device));
            const auto targets = in.explainer.resolveTargets(scoredPixels, labels.index_select(0, correct));
            const auto attributions = in.explainer.attribute(scoredPixels, targets, feedback);
            cleanAttributions.push_back(attributions.cpu());

            std::map<std::string, std::vector<double>> batch;
            if (measures.has("sparseness")) batch["sparseness"] = toVector(giniIndex(attributions));
            if (measures.hasAny({"ris", "ros"}))
                std::tie(batch["ris"], batch["ros"]) = relativeStabilityOf(in, scoredPixels, targets, attributions, begin);
            if (measures.has("curvature")) {
                batch["curvature"] =
                    toVector(localCurvature([&](const torch::Tensor& x) { return in.explainer.inputGradients(x, targets, nullptr); },
                                            scoredPixels, in.options.curvatureRadius, 3, in.options.seed + uint64_t(begin)));
            }
            if (measures.has("hessian")) {
                const SoftplusSurrogate surrogate(in.options.hessianBeta);
                const auto explainedLogit = [&](const torch::Tensor& x) {
                    return in.model.logits(x).gather(1, targets.to(x.device()).view({-1, 1})).squeeze(1);
                };
                batch["hessian"] = toVector(
                    hessianSpectralNorm(explainedLogit, scoredPixels, in.options.hessianIterations, in.options.seed + uint64_t(begin)));
            }
            if (measures.has("localisation")) {
                const auto maps = heatmapOf(attributions, in.options.saliency.heatmapReduction);
                const auto masks = in.data.masks.index_select(0, indices.index_select(0, correct));
                batch["energy_in_mask"] = toVector(energyInMask(maps, masks));
                batch["pointing_hit"] = toVector(pointingGameHits(maps, masks));
            }
            // Only the chosen measures reach the per-sample rows (RIS and ROS are computed together).
            const auto chosen = [&](const std::string& key) {
                return key == "energy_in_mask" || key == "pointing_hit" ? measures.has("localisation") : measures.has(key);
            };
            for (int64_t i = 0; i < correct.numel(); ++i) {
                const auto local = correct[i].item<int64_t>();
                const auto index = begin + local;
                nlohmann::json row = {
                    {"index", index}, {"label", in.data.labels[index].item<int64_t>()}, {"prediction", predictions[local].item<int64_t>()}};
                for (const auto& [key, values] : batch) {
                    if (!chosen(key)) continue;
                    row[key] = key == "ris" || key == "ros" ? finiteOrNull(values[size_t(i)]) : nlohmann::json(values[size_t(i)]);
                    scores.values[key].push_back(values[size_t(i)]);
                }
                scores.perSample.push_back(row);
            }
        }
        reportProgress(feedback, double(begin + indices.size(0)) / double(count), "explaining and scoring");
    }
    if (!cleanAttributions.empty()) scores.cleanAttributions = torch::cat(cleanAttributions);
    return scores;
}

/// Summaries of the per-input measures: mean, median and bootstrap interval (docs/METRICS.md).
void summarizePerInput(const PerInputScores& scores, const ProtocolInputs& in, nlohmann::json& summary) {
    const auto seed = in.options.seed;
    const auto values = [&](const char* key) {
        const auto found = scores.values.find(key);
        return found == scores.values.end() ? std::vector<double>() : found->second;
    };
    if (in.measures.has("sparseness")) summary["sparseness"] = summarize(values("sparseness"), seed).toJson();
    if (in.measures.has("ris")) summary["ris"] = summarize(values("ris"), seed).toJson(true);
    if (in.measures.has("ros")) summary["ros"] = summarize(values("ros"), seed).toJson(true);
    if (in.measures.has("curvature")) summary["curvature"] = summarize(values("curvature"), seed).toJson();
    if (in.measures.has("hessian")) summary["hessian"] = summarize(values("hessian"), seed).toJson();
    // The paper's argument across images: is a locally flatter model (lower curvature) a more stable one (lower
    // RIS/ROS)? Spearman's ρ over the scored images where both are defined (docs/GEOMETRY.md).
    for (const char* geometry : {"curvature", "hessian"}) {
        for (const char* stability : {"ris", "ros"}) {
            if (!in.measures.has(geometry) || !in.measures.has(stability)) continue;
            std::vector<double> xs, ys;
            const auto x = values(geometry), y = values(stability);
            for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
                if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
                xs.push_back(x[i]);
                ys.push_back(y[i]);
            }
            const auto n = int64_t(xs.size());
            const nlohmann::json rho = n >= 3 ? nlohmann::json(spearmanCorrelation(torch::tensor(xs, torch::kFloat64).view({1, -1}),
                                                                                   torch::tensor(ys, torch::kFloat64).view({1, -1}))[0]
                                                                   .item<double>())
                                              : nlohmann::json();
            summary["rank_correlations"][std::string(geometry) + "_vs_" + stability] = {{"spearman", rho}, {"n", n}};
        }
    }
    if (in.measures.has("localisation")) {
        summary["energy_in_mask"] = summarize(values("energy_in_mask"), seed).toJson();
        summary["pointing_game"] = summarize(values("pointing_hit"), seed).toJson();
    }
}

/// ROAD scores every input (accuracy is its measure), with maps for the configured target.
nlohmann::json roadSection(const ProtocolInputs& in, Feedback* feedback) {
    const int64_t count = in.data.size(), batchSize = in.options.batchSize;
    const auto pixels = toDevice(in.data.floatImages(torch::arange(count, torch::kInt64)), in.model.device());
    StageFeedback mapsFeedback(feedback, 0.0, 0.2, "ROAD maps");
    std::vector<torch::Tensor> maps;
    for (int64_t begin = 0; begin < count; begin += batchSize) {
        const auto part = pixels.slice(0, begin, begin + batchSize);
        const auto targets = in.explainer.resolveTargets(part, in.data.labels.slice(0, begin, begin + batchSize));
        maps.push_back(heatmapOf(in.explainer.attribute(part, targets, &mapsFeedback), in.options.saliency.heatmapReduction).cpu());
        mapsFeedback.setProgress(double(std::min(count, begin + batchSize)) / double(count));
    }
    const auto heatmaps = torch::cat(maps);
    const auto logitsOf = [&](const torch::Tensor& x) {
        std::vector<torch::Tensor> parts;
        for (int64_t b = 0; b < x.size(0); b += batchSize) parts.push_back(in.model.logits(x.slice(0, b, b + batchSize)));
        return torch::cat(parts);
    };
    nlohmann::json road;
    for (const bool mostRelevantFirst : {true, false}) {
        RoadOptions options;
        options.mostRelevantFirst = mostRelevantFirst;
        options.seed = in.options.seed;
        StageFeedback curveFeedback(feedback, mostRelevantFirst ? 0.2 : 0.6, 0.4);
        const auto curve = roadCurve(logitsOf, pixels, in.data.labels, heatmaps, options, &curveFeedback);
        road["percentages"] = options.percentages;
        road["base_accuracy"] = curve.baseAccuracy;
        road[mostRelevantFirst ? "morf" : "lerf"] = {{"accuracy", curve.accuracy}, {"aopc", curve.aopc}};
    }
    return road;
}

/// The SSIM/top-k/Spearman curves over the noise levels, reusing the per-input section's clean maps.
void curveSection(const ProtocolInputs& in, const std::vector<std::string>& curveMeasures, const torch::Tensor& cleanAttributions,
                  nlohmann::json& summary, Feedback* feedback) {
    StabilityCurveOptions options;
    if (!in.options.noiseLevels.empty()) options.noiseLevels = in.options.noiseLevels;
    options.measures = curveMeasures;
    options.seed = in.options.seed;
    const auto pixels = in.data.floatImages(torch::arange(in.data.size(), torch::kInt64));
    const auto points = stabilityCurve(in.model, in.explainer, pixels, in.data.labels, options, {}, cleanAttributions, feedback);
    for (const auto& measure : curveMeasures) {
        nlohmann::json curve = {{"sigma", nlohmann::json::array()},
                                {"mean", nlohmann::json::array()},
                                {"ci95", nlohmann::json::array()},
                                {"n", nlohmann::json::array()}};
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

void robustAccuracySection(const ProtocolInputs& in, nlohmann::json& summary, Feedback* feedback) {
    AccuracyOptions options;
    options.seed = in.options.seed;
    const auto attack = robustnessAttackFor(in.model.description());
    options.attack = attack;
    const auto report = evaluateAccuracy(in.model, in.data, options, feedback);
    summary["robust_accuracy"] = *report.robustAccuracy;
    summary["robust_attack"] = attack.toJson();
}

}  // namespace

nlohmann::json evaluateProtocol(ImageClassifier& model, const Dataset& data, const ProtocolOptions& options, Feedback* feedback) {
    options.validate();
    const MeasureSet measures(options.metrics);
    if (data.size() == 0) throw InputError("dataset " + data.spec, "holds no samples");
    if (measures.has("localisation") && !data.masks.defined()) {
        throw InputError("--metrics localisation", "needs a dataset with ground-truth masks (the shapes set), not " + data.spec);
    }
    if (measures.has("hessian") && model.description().arch == "torchscript") {
        // The surrogate swaps the native architectures' ReLU; a TorchScript model's Hessian would read as 0.
        throw InputError("--metrics hessian", "needs a native model (.swm): a TorchScript model's ReLUs cannot be smoothed");
    }
    model.setTrainingMode(false);
    SaliencyExplainer explainer(model, options.saliency);
    const ProtocolInputs in{model, explainer, data, options, measures};

    std::vector<std::string> curveMeasures;
    for (const char* measure : {"ssim", "topk", "spearman"}) {
        if (measures.has(measure)) curveMeasures.push_back(measure);
    }
    // One progress run over the sections, in equal shares: each section reports 0 → 1 of its own share.
    const double sections = 1.0 + double(measures.has("road")) + double(!curveMeasures.empty()) + double(measures.has("robust_accuracy"));
    double done = 0.0;
    const auto nextStage = [&](const std::string& label) { return StageFeedback(feedback, done++ / sections, 1.0 / sections, label); };

    PerInputScores scores;
    {
        auto stage = nextStage("");
        scores = scoreInputs(in, &stage);
    }
    nlohmann::json summary = {{"accuracy", double(scores.correctCount) / double(data.size())}};
    summarizePerInput(scores, in, summary);
    if (measures.has("road")) {
        auto stage = nextStage("");
        summary["road"] = roadSection(in, &stage);
    }
    if (!curveMeasures.empty()) {
        auto stage = nextStage("stability curves");
        curveSection(in, curveMeasures, scores.cleanAttributions, summary, &stage);
    }
    if (measures.has("robust_accuracy")) {
        auto stage = nextStage("robust accuracy");
        robustAccuracySection(in, summary, &stage);
    }
    reportProgress(feedback, 1.0, "done");
    auto modelJson = model.description().toJson();
    modelJson["badge"] = model.description().badge();
    return nlohmann::json{{"model", modelJson},
                          {"dataset", data.spec},
                          {"method", options.saliency.toJson()},
                          {"precision", precisionName(PrecisionScope::current())},
                          {"device", model.device().str()},
                          {"seed", options.seed},
                          {"n_total", data.size()},
                          {"n_scored", scores.correctCount},
                          {"summary", summary},
                          {"per_sample", scores.perSample}};
}

}  // namespace sw
