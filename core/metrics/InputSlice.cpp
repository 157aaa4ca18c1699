#include "metrics/InputSlice.h"

#include <cmath>
#include <limits>

#include "explain/SaliencyExplainer.h"
#include "metrics/MapSimilarity.h"
#include "metrics/StabilityCurve.h"
#include "models/ImageClassifier.h"
#include "util/Feedback.h"
#include "util/InputError.h"

namespace sw {

namespace {

/// Cosine similarity of each map (P×H×W) to `reference` (H×W); 1 where both are zero, 0 where only one is.
torch::Tensor cosineToReference(const torch::Tensor& maps, const torch::Tensor& reference) {
    const auto flat = maps.flatten(1).to(torch::kFloat64);
    const auto ref = reference.flatten().to(torch::kFloat64);
    const auto norms = flat.norm(2, {1}) * ref.norm();
    const auto both = flat.norm(2, {1}).eq(0) & ref.norm().eq(0);
    auto cosine = flat.matmul(ref) / norms.clamp_min(std::numeric_limits<double>::min());
    cosine = torch::where(norms.eq(0), torch::zeros_like(cosine), cosine);
    return torch::where(both, torch::ones_like(cosine), cosine);
}

/// Central second differences of `values` (P) at spacing h; NaN at both ends, where they are undefined.
torch::Tensor secondDifferences(const torch::Tensor& values, double h) {
    auto result = torch::full_like(values, std::numeric_limits<double>::quiet_NaN());
    const int64_t count = values.size(0);
    using torch::indexing::Slice;
    result.index_put_(
        {Slice(1, count - 1)},
        (values.index({Slice(2, count)}) - 2.0 * values.index({Slice(1, count - 1)}) + values.index({Slice(0, count - 2)})) / (h * h));
    return result;
}

}  // namespace

void InputSliceOptions::validate() const {
    if (!(radius > 0.0) || !std::isfinite(radius)) {
        throw InputError("--radius " + std::to_string(radius), "must be a positive number of pixel units");
    }
    if (points < 3 || points % 2 == 0) {
        throw InputError("--points " + std::to_string(points), "must be odd and at least 3, so that t = 0 is one of them");
    }
}

torch::Tensor normalisedDirection(const torch::Tensor& direction, const std::string& what) {
    const double largest = direction.abs().max().item<double>();
    if (!(largest > 0.0) || !std::isfinite(largest)) {
        throw InputError(what, "the direction is zero (or not finite), so it names no line through the image; pick another direction");
    }
    return direction / largest;
}

InputSlice sliceAlongDirection(ImageClassifier& model, SaliencyExplainer& explainer, const torch::Tensor& pixels,
                               const torch::Tensor& direction, const InputSliceOptions& options, Feedback* feedback) {
    options.validate();
    if (pixels.dim() != 4 || pixels.size(0) != 1) throw InputError("slice", "expects one image (1×C×H×W)");
    const auto device = model.device();
    const auto unit = normalisedDirection(direction.to(torch::kCPU, pixels.scalar_type()), "--direction");

    InputSlice slice;
    const int64_t count = options.points;
    // t_i = r·(2i − (P−1))/(P−1): the centre's numerator is 0, so t = 0 exactly and its point is x itself.
    slice.steps = (2.0 * torch::arange(count, torch::kFloat64) - double(count - 1)) * (options.radius / double(count - 1));
    const auto line = (pixels.to(torch::kCPU) + slice.steps.to(pixels.scalar_type()).view({-1, 1, 1, 1}) * unit).to(device);

    torch::Tensor logits;
    {
        torch::NoGradGuard noGradients;
        model.setTrainingMode(false);
        logits = model.logits(line).to(torch::kCPU, torch::kFloat64);
    }
    throwIfCancelled(feedback);
    slice.logits = logits;
    slice.predictions = logits.argmax(1);
    slice.explainedClass = slice.predictions[count / 2].item<int64_t>();
    slice.explainedLogit = logits.select(1, slice.explainedClass).clone();
    auto others = logits.clone();
    others.select(1, slice.explainedClass).fill_(-std::numeric_limits<double>::infinity());
    slice.margin = slice.explainedLogit - std::get<0>(others.max(1));
    slice.logitCurvature = secondDifferences(slice.explainedLogit, options.radius * 2.0 / double(count - 1));

    const auto targets = torch::full({count}, slice.explainedClass, torch::kInt64).to(device);
    slice.gradientNorm = explainer.inputGradients(line, targets, feedback).flatten(1).to(torch::kCPU, torch::kFloat64).norm(2, {1});
    const auto attributions = explainer.attribute(line, targets, feedback);
    slice.maps = heatmapOf(attributions, explainer.config().heatmapReduction).to(torch::kCPU, torch::kFloat32);

    // The same SSIM as the stability curves (metrics/StabilityCurve.h): maps ÷ max|map|, so a slice reads like a curve.
    const StabilityCurveOptions similarity;
    const auto reference = slice.maps[count / 2];
    const auto references = reference.unsqueeze(0).expand_as(slice.maps).contiguous();
    const bool windowFits = slice.maps.size(1) >= similarity.ssimWindow && slice.maps.size(2) >= similarity.ssimWindow;
    // SSIM is undefined on a map smaller than its window (scikit-image refuses it too): NaN, not a crash.
    slice.ssim = windowFits ? structuralSimilarity(normaliseByMaxAbs(slice.maps), normaliseByMaxAbs(references), similarity.ssimWindow,
                                                   similarity.ssimDataRange)
                            : torch::full({count}, std::numeric_limits<double>::quiet_NaN(), torch::kFloat64);
    slice.cosine = cosineToReference(slice.maps, reference);
    return slice;
}

}  // namespace sw
