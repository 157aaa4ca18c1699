#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"
#include "metrics/EvaluationMeasures.h"

namespace sw {

/// How the paper's evaluation protocol scores one model with one method (docs/METRICS.md). Plain data:
/// the saliency-evaluation job, the reproduction and the GUI fill it in.
struct ProtocolOptions {
    SaliencyConfig saliency;
    std::vector<std::string> metrics = defaultProtocolMeasures();  ///< ids of evaluationMeasures()
    int64_t stabilitySamples = 5;                                  ///< RIS/ROS perturbations per input
    double stabilityNoiseLow = 0.02;                               ///< RIS/ROS: x′ = x + U(low, high)
    double stabilityNoiseHigh = 0.2;
    double epsMin = 1e-6;  ///< replaces zero divisors in RIS/ROS
    bool nanWhenPredictionChanges = true;
    std::vector<double> noiseLevels;  ///< SSIM/top-k/Spearman curves; empty = the authors' eight
    uint64_t seed = 0;
    int64_t batchSize = 250;
    double curvatureRadius = 0.01;  ///< ‖δ‖ of the finite-difference curvature
    double hessianBeta = 10.0;      ///< softplus sharpness of the Hessian measure's surrogate network
    int hessianIterations = 20;     ///< power-iteration steps of the Hessian measure

    /// Throws InputError naming the offending option.
    void validate() const;
};

}  // namespace sw
