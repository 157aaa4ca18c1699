#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "jobs/TrainJob.h"

namespace sw {

/// A training run written down whole, as JSON: how the GUI hands a run to the processes of a data-parallel
/// launch (`saliency-cli train --request FILE`, docs/SCALING.md). The rank is not stored: each process reads
/// its own from the environment.
nlohmann::json trainRequestToJson(const TrainRequest& request);
/// Throws InputError naming `source` for a document that is not a training request or has a bad field.
TrainRequest trainRequestFromJson(const nlohmann::json& document, const std::string& source);

/// Written atomically (temporary file, then rename).
void writeTrainRequest(const std::string& path, const TrainRequest& request);
TrainRequest readTrainRequest(const std::string& path);

}  // namespace sw
