#include "metrics/StabilityCurve.h"

#include "data/BatchSampler.h"
#include "explain/SaliencyExplainer.h"
#include "metrics/MapSimilarity.h"
#include "metrics/RelativeStability.h"
#include "models/Predictions.h"
#include "util/Feedback.h"
#include "util/InputError.h"

namespace sw {

namespace {
constexpr uint64_t kCurveNoiseStream = 6ull << 40;

std::vector<double> toVector(const torch::Tensor& values) {
    const auto contiguous = values.to(torch::kCPU, torch::kFloat64).contiguous();
    return {contiguous.data_ptr<double>(), contiguous.data_ptr<double>() + contiguous.numel()};
}
}  // namespace

const std::vector<double>& defaultNoiseLevels() {
    static const std::vector<double> levels = {0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2};
    return levels;
}

std::vector<StabilityCurvePoint> stabilityCurve(ImageClassifier& model, SaliencyExplainer& explainer, const torch::Tensor& pixels,
                                                const torch::Tensor& labels, const StabilityCurveOptions& options,
                                                const std::function<void(const StabilityCurvePoint&)>& onPoint,
                                                const torch::Tensor& knownCleanAttributions, Feedback* feedback) {
    for (const auto& measure : options.measures) {
        if (measure != "ssim" && measure != "topk" && measure != "spearman" && measure != "ris" && measure != "ros") {
            throw InputError("--measure " + measure, "expected ssim, topk, spearman, ris or ros");
        }
    }
    std::vector<StabilityCurvePoint> points;
    const int64_t chunk = explainer.config().maxBatch;
    const auto labelsCpu = labels.cpu();
    const auto correct = logitsInChunks(model, pixels, chunk).argmax(1).eq(labelsCpu).nonzero().flatten();
    const auto clean = pixels.to(model.device()).index_select(0, correct.to(model.device()));
    const auto cleanLabels = labelsCpu.index_select(0, correct);
    if (clean.size(0) == 0) return points;
    const auto targets = explainer.resolveTargets(clean, cleanLabels);
    const auto cleanAttributions = knownCleanAttributions.defined() && knownCleanAttributions.size(0) == clean.size(0)
                                       ? knownCleanAttributions.to(clean.device())
                                       : explainer.attribute(clean, targets, feedback);
    if (!cleanAttributions.defined()) return points;
    const auto cleanMaps = heatmapOf(cleanAttributions, explainer.config().heatmapReduction).cpu();
    const auto cleanLogits = logitsInChunks(model, clean, chunk);
    const auto totalWork = double(options.noiseLevels.size());
    for (size_t level = 0; level < options.noiseLevels.size(); ++level) {
        throwIfCancelled(feedback);
        const double sigma = options.noiseLevels[level];
        auto generator = makeGenerator(options.seed, kCurveNoiseStream + level);
        const auto noise = torch::randn(clean.sizes(), generator).to(clean.device()) * sigma;
        const auto noisy = (clean + noise).clamp(0.0, 1.0);
        const auto stillCorrect = logitsInChunks(model, noisy, chunk).argmax(1).eq(cleanLabels).nonzero().flatten();
        const auto keep = stillCorrect.to(clean.device());
        torch::Tensor noisyAttributions;
        if (stillCorrect.numel() > 0) {
            noisyAttributions = explainer.attribute(noisy.index_select(0, keep), targets.index_select(0, keep), feedback);
            if (!noisyAttributions.defined()) break;
        }
        for (const auto& measure : options.measures) {
            StabilityCurvePoint point;
            point.measure = measure;
            point.noiseSigma = sigma;
            point.candidates = clean.size(0);
            point.kept = stillCorrect.numel();
            if (point.kept > 0) {
                const auto a = cleanMaps.index_select(0, stillCorrect);
                const auto b = heatmapOf(noisyAttributions, explainer.config().heatmapReduction).cpu();
                torch::Tensor values;
                if (measure == "ssim") {
                    values = options.normaliseMapsForSsim ? structuralSimilarity(normaliseByMaxAbs(a), normaliseByMaxAbs(b),
                                                                                 options.ssimWindow, options.ssimDataRange)
                                                          : structuralSimilarity(a, b, options.ssimWindow, options.ssimDataRange);
                } else if (measure == "topk") {
                    values = topKOverlap(a, b, options.topKFraction);
                } else if (measure == "spearman") {
                    values = spearmanCorrelation(a, b);
                } else {
                    const auto e = cleanAttributions.index_select(0, keep).cpu();
                    const auto eNoisy = noisyAttributions.cpu();
                    if (measure == "ris") {
                        values = relativeInputStabilityObjective(clean.index_select(0, keep).cpu(), noisy.index_select(0, keep).cpu(), e,
                                                                 eNoisy, options.epsMin);
                    } else {
                        const auto noisyLogits = logitsInChunks(model, noisy.index_select(0, keep), chunk);
                        values = relativeOutputStabilityObjective(cleanLogits.index_select(0, stillCorrect), noisyLogits, e, eNoisy,
                                                                  options.epsMin);
                    }
                }
                point.perSample = toVector(values);
            }
            point.statistics = summarize(point.perSample, options.seed + level);
            if (onPoint) onPoint(point);
            points.push_back(std::move(point));
        }
        reportProgress(feedback, double(level + 1) / totalWork, "noise σ = " + std::to_string(sigma));
    }
    return points;
}

}  // namespace sw
