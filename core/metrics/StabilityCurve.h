#pragma once

#include <functional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "metrics/SummaryStatistics.h"

namespace sw {

class Feedback;
class ImageClassifier;
class SaliencyExplainer;

/// The authors' eight noise levels (pixel units).
const std::vector<double>& defaultNoiseLevels();

struct StabilityCurveOptions {
    std::vector<double> noiseLevels = defaultNoiseLevels();
    std::vector<std::string> measures = {"ssim"};  ///< ssim, topk, spearman, ris, ros
    double topKFraction = 0.1;
    int64_t ssimWindow = 5;
    double ssimDataRange = 2.0;
    bool normaliseMapsForSsim = true;  ///< maps ÷ max|map| (so they lie in [−1, 1], matching data range 2)
    double epsMin = 1e-6;
    uint64_t seed = 0;
};

/// One measure at one noise level: clean vs noisy maps of the inputs that stay correctly classified.
struct StabilityCurvePoint {
    std::string measure;
    double noiseSigma = 0.0;
    SummaryStatistics statistics;
    int64_t candidates = 0;         ///< correctly classified clean inputs
    int64_t kept = 0;               ///< of those, still correct under this noise
    std::vector<double> perSample;  ///< the kept pairs' values
};

/// For each σ: x′ = clip(x + N(0, σ²), 0, 1); pairs whose noisy prediction is still the label are kept and
/// their heatmaps compared. Each finished σ is passed to `onPoint` at once (for live plots). Returns all
/// points; throws Cancelled when `feedback` is cancelled. `knownCleanAttributions`, when given, are the maps
/// of the correctly classified inputs in order (a caller that has them saves one pass).
std::vector<StabilityCurvePoint> stabilityCurve(ImageClassifier& model, SaliencyExplainer& explainer, const torch::Tensor& pixels,
                                                const torch::Tensor& labels, const StabilityCurveOptions& options,
                                                const std::function<void(const StabilityCurvePoint&)>& onPoint = {},
                                                const torch::Tensor& knownCleanAttributions = {}, Feedback* feedback = nullptr);

}  // namespace sw
