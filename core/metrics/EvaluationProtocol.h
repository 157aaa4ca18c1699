#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/Dataset.h"
#include "jobs/EvaluateJob.h"
#include "models/ImageClassifier.h"

namespace sw {

/// Throws InputError for a measure name the protocol does not know.
void validateEvaluationMetrics(const std::vector<std::string>& metrics);

/// The paper's evaluation protocol on an already loaded model and dataset (what runEvaluateJob does after
/// loading): accuracy on all inputs; Gini, RIS, ROS, curvature and localisation on the correctly classified
/// ones; SSIM/top-k/Spearman curves; ROAD; robust accuracy. Returns the evaluation JSON of docs/METRICS.md,
/// or nullopt when cancelled.
std::optional<nlohmann::json> evaluateProtocol(ImageClassifier& model, const Dataset& data, const EvaluateRequest& request,
                                               Feedback& feedback);

}  // namespace sw
