#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "jobs/JobEdge.h"
#include "util/Precision.h"
#include "metrics/ProtocolOptions.h"

namespace sw {

/// `saliency-cli evaluate`: the paper's protocol on one model and one method, in plain types.
struct SaliencyEvaluationRequest {
    std::string modelPath;
    std::string datasetSpec = "fmnist:test";
    int64_t limit = 1000;
    ProtocolOptions protocol;  ///< the method, the measures and their settings
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;  ///< fp32 (default) or tf32 (util/Precision.h)
    std::string jsonPath;
    std::optional<std::array<int64_t, 3>> inputShape;
    std::vector<std::string> classNames;
};

/// Runs the protocol (only correctly classified inputs are scored) and writes the evaluation JSON of
/// docs/METRICS.md ("The evaluation JSON") atomically. `summaryJson`, when given, receives the same document.
JobResult runSaliencyEvaluationJob(const SaliencyEvaluationRequest& request, Feedback& feedback, std::string* summaryJson = nullptr);

}  // namespace sw
