#pragma once

#include <nlohmann/json.hpp>

#include "data/Dataset.h"
#include "metrics/ProtocolOptions.h"
#include "models/ImageClassifier.h"

namespace sw {

class Feedback;

/// The paper's evaluation protocol on an already loaded model and dataset: accuracy on all inputs; Gini, RIS,
/// ROS, curvature and localisation on the correctly classified ones; SSIM/top-k/Spearman curves; ROAD;
/// robust accuracy — each section only when one of its measures is chosen. Returns the evaluation JSON of
/// docs/METRICS.md without the model's path (the caller knows it). Progress runs once from 0 to 1 over
/// the chosen sections; throws Cancelled when `feedback` is cancelled, InputError for bad options.
nlohmann::json evaluateProtocol(ImageClassifier& model, const Dataset& data, const ProtocolOptions& options, Feedback* feedback = nullptr);

}  // namespace sw
