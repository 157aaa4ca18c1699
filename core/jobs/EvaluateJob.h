#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"
#include "util/Feedback.h"

namespace sw {

/// `saliency-cli evaluate`: the paper's protocol on one model and one method, in plain types.
struct EvaluateRequest {
    std::string modelPath;
    std::string datasetSpec = "fmnist:test";
    int64_t limit = 1000;
    SaliencyConfig saliency;
    /// accuracy, robust_accuracy, sparseness, ris, ros, ssim, topk, spearman
    std::vector<std::string> metrics = {"accuracy", "sparseness", "ris", "ros", "ssim"};
    int64_t stabilitySamples = 5;       ///< RIS/ROS perturbations per input
    double stabilityNoiseLow = 0.02;    ///< RIS/ROS: x′ = x + U(low, high)
    double stabilityNoiseHigh = 0.2;
    double epsMin = 1e-6;               ///< replaces zero divisors in RIS/ROS
    bool nanWhenPredictionChanges = true;
    std::vector<double> noiseLevels;    ///< empty = the authors' eight
    uint64_t seed = 0;
    int64_t batchSize = 250;
    std::string device = "auto";
    int threads = 0;
    std::string jsonPath;
    std::optional<std::array<int64_t, 3>> inputShape;
    std::vector<std::string> classNames;
};

/// Runs the protocol (only correctly classified inputs are scored) and writes the evaluation JSON of
/// docs/METRICS.md ("The evaluation JSON") atomically. `summaryJson`, when given, receives the same document.
JobResult runEvaluateJob(const EvaluateRequest& request, Feedback& feedback, std::string* summaryJson = nullptr);

/// One row of a stability curve, ready for a tidy CSV or a live plot.
struct CurveRow {
    std::string model, method, measure;
    double noiseSigma = 0.0, mean = 0.0, ciLow = 0.0, ciHigh = 0.0;
    int64_t n = 0;
};

/// `saliency-cli curves`: a measure against noise for several models, one CSV (model, method, measure,
/// sigma, mean, ci_low, ci_high, n). Each row goes to `onRow` as soon as its σ is done.
struct CurvesRequest {
    std::vector<std::string> modelPaths;
    std::string datasetSpec = "fmnist:test";
    int64_t limit = 200;
    SaliencyConfig saliency;
    std::vector<std::string> measures = {"ssim"};
    std::vector<double> noiseLevels;
    uint64_t seed = 0;
    std::string device = "auto";
    int threads = 0;
    std::string csvPath;
};

JobResult runCurvesJob(const CurvesRequest& request, Feedback& feedback, const std::function<void(const CurveRow&)>& onRow = {});

}  // namespace sw
