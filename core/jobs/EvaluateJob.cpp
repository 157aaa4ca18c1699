#include "jobs/EvaluateJob.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "jobs/JobSupport.h"
#include "metrics/LocalCurvature.h"
#include "metrics/RelativeStability.h"
#include "metrics/Road.h"
#include "metrics/Sparseness.h"
#include "metrics/StabilityCurve.h"
#include "models/ModelFile.h"
#include "train/Evaluation.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

namespace {

bool wants(const std::vector<std::string>& metrics, const std::string& name) {
    return std::find(metrics.begin(), metrics.end(), name) != metrics.end();
}

void validateMetrics(const std::vector<std::string>& metrics) {
    static const std::vector<std::string> known = {"accuracy", "robust_accuracy", "sparseness", "ris", "ros", "ssim",
                                                   "topk", "spearman", "road", "curvature", "localisation"};
    for (const auto& metric : metrics) {
        if (!wants(known, metric)) {
            throw InputError("--metrics " + metric, "unknown measure; expected accuracy, robust_accuracy, sparseness, "
                                                    "ris, ros, ssim, topk, spearman, road, curvature or localisation");
        }
    }
}

std::vector<double> toVector(const torch::Tensor& values) {
    const auto contiguous = values.to(torch::kCPU, torch::kFloat64).contiguous();
    return {contiguous.data_ptr<double>(), contiguous.data_ptr<double>() + contiguous.numel()};
}

struct LoadedEvaluation {
    std::unique_ptr<ImageClassifier> model;
    Dataset data;
};

LoadedEvaluation loadModelAndData(const std::string& modelPath, const std::string& datasetSpec, int64_t limit,
                                  const std::string& device, const TorchScriptMetadata& metadata) {
    LoadedEvaluation loaded;
    loaded.model = loadModel(modelPath, metadata);
    DatasetLoadOptions load;
    load.imageShape = loaded.model->description().inputShape;
    loaded.data = loadDataset(DatasetSpec::parse(datasetSpec), load).head(limit);
    loaded.model->checkCompatible(loaded.data, modelPath);
    if (loaded.data.size() == 0) throw InputError("--dataset " + datasetSpec, "holds no samples");
    loaded.model->moveTo(resolveDevice(device));
    return loaded;
}

}  // namespace

JobResult runEvaluateJob(const EvaluateRequest& request, Feedback& feedback, std::string* summaryJson) {
    return runGuarded([&]() -> JobResult {
        validateMetrics(request.metrics);
        request.saliency.validate();
        setComputeThreads(request.threads);
        auto [model, data] = loadModelAndData(request.modelPath, request.datasetSpec, request.limit, request.device,
                                              TorchScriptMetadata{request.inputShape, request.classNames});
        const auto device = model->device();
        model->setTrainingMode(false);
        SaliencyExplainer explainer(*model, request.saliency);

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
        for (int64_t begin = 0; begin < count; begin += request.batchSize) {
            if (feedback.isCancelled()) return JobResult::cancelled();
            const auto indices = torch::arange(begin, std::min(count, begin + request.batchSize), torch::kInt64);
            const auto pixels = data.floatImages(indices).to(device);
            const auto labels = data.labels.index_select(0, indices);
            torch::Tensor predictions;
            {
                torch::NoGradGuard noGrad;
                predictions = model->logits(pixels).argmax(1).cpu();
            }
            const auto correct = predictions.eq(labels).nonzero().flatten();
            correctIndices.push_back(indices.index_select(0, correct));
            correctCount += correct.numel();
            if (!needMaps || correct.numel() == 0) continue;
            const auto scoredPixels = pixels.index_select(0, correct.to(device));
            const auto scoredLabels = labels.index_select(0, correct);
            const auto targets = explainer.resolveTargets(scoredPixels, scoredLabels);
            const auto attributions = explainer.attribute(scoredPixels, targets, &feedback);
            if (!attributions.defined()) return JobResult::cancelled();
            const auto batchGini = toVector(giniIndex(attributions));
            std::vector<double> batchRis(batchGini.size(), 0.0), batchRos(batchGini.size(), 0.0);
            if (wants(request.metrics, "ris") || wants(request.metrics, "ros")) {
                RelativeStabilityOptions options;
                options.samples = request.stabilitySamples;
                options.seed = request.seed + uint64_t(begin);
                ExplainedModel explained{[&](const torch::Tensor& x) { return model->logits(x); },
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
            // ROAD scores every input (accuracy is its measure), with maps for the predicted class.
            const auto all = torch::arange(count, torch::kInt64);
            const auto pixels = data.floatImages(all).to(device);
            std::vector<torch::Tensor> maps;
            for (int64_t begin = 0; begin < count; begin += request.batchSize) {
                const auto part = pixels.slice(0, begin, begin + request.batchSize);
                const auto attributions = explainer.attribute(part, explainer.resolveTargets(part, {}), &feedback);
                if (!attributions.defined()) return JobResult::cancelled();
                maps.push_back(heatmapOf(attributions, request.saliency.heatmapReduction).cpu());
            }
            const auto heatmaps = torch::cat(maps);
            const auto logitsOf = [&](const torch::Tensor& x) {
                std::vector<torch::Tensor> parts;
                for (int64_t b = 0; b < x.size(0); b += request.batchSize) parts.push_back(model->logits(x.slice(0, b, b + request.batchSize)));
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
            const auto points = stabilityCurve(*model, explainer, data.floatImages(all), data.labels, options, {}, &feedback);
            if (feedback.isCancelled()) return JobResult::cancelled();
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
            auto attack = AttackConfig::fromJson(model->description().training.value("adversarial", nlohmann::json::object()));
            if (!attack.enabled()) attack.kind = "pgd";
            options.attack = attack;
            const auto report = evaluateAccuracy(*model, data, options, feedback);
            if (report.cancelled) return JobResult::cancelled();
            summary["robust_accuracy"] = *report.robustAccuracy;
            summary["robust_attack"] = attack.toJson();
        }
        auto modelJson = model->description().toJson();
        modelJson["path"] = request.modelPath;
        modelJson["badge"] = model->description().badge();
        const nlohmann::json document = {{"model", modelJson}, {"dataset", data.spec}, {"method", request.saliency.toJson()},
                                         {"seed", request.seed}, {"n_total", count}, {"n_scored", correctCount},
                                         {"summary", summary}, {"per_sample", perSample}};
        if (!request.jsonPath.empty()) writeTextFileAtomically(request.jsonPath, document.dump(2) + "\n");
        if (summaryJson) *summaryJson = document.dump(2);
        feedback.setProgress(1.0, "done");
        return JobResult::completed("scored " + std::to_string(correctCount) + " of " + std::to_string(count) + " inputs");
    });
}

JobResult runCurvesJob(const CurvesRequest& request, Feedback& feedback, const std::function<void(const CurveRow&)>& onRow) {
    return runGuarded([&]() -> JobResult {
        if (request.modelPaths.empty()) throw InputError("--models", "give at least one model");
        setComputeThreads(request.threads);
        std::ostringstream csv;
        csv << "model,method,measure,sigma,mean,ci_low,ci_high,n\n" << std::setprecision(8);
        for (size_t m = 0; m < request.modelPaths.size(); ++m) {
            const auto& path = request.modelPaths[m];
            auto [model, data] = loadModelAndData(path, request.datasetSpec, request.limit, request.device, {});
            SaliencyExplainer explainer(*model, request.saliency);
            StabilityCurveOptions options;
            if (!request.noiseLevels.empty()) options.noiseLevels = request.noiseLevels;
            options.measures = request.measures;
            options.seed = request.seed;
            const auto name = std::filesystem::path(path).stem().string();
            const auto pixels = data.floatImages(torch::arange(data.size(), torch::kInt64));
            stabilityCurve(*model, explainer, pixels, data.labels, options,
                           [&](const StabilityCurvePoint& point) {
                               const CurveRow row{name, request.saliency.method, point.measure, point.noiseSigma,
                                                  point.statistics.mean, point.statistics.ci95Low, point.statistics.ci95High, point.kept};
                               csv << row.model << ',' << row.method << ',' << row.measure << ',' << row.noiseSigma << ','
                                   << row.mean << ',' << row.ciLow << ',' << row.ciHigh << ',' << row.n << '\n';
                               if (onRow) onRow(row);
                           },
                           &feedback);
            if (feedback.isCancelled()) return JobResult::cancelled();
        }
        if (!request.csvPath.empty()) writeTextFileAtomically(request.csvPath, csv.str());
        return JobResult::completed("curves for " + std::to_string(request.modelPaths.size()) + " models");
    });
}

}  // namespace sw
