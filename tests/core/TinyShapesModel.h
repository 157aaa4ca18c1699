#pragma once

// Core-test helper: torch-free job API only (docs/ARCHITECTURE.md).
#include <filesystem>
#include <string>

#include "jobs/TrainJob.h"

namespace sw::test {

/// Trains a small natural model on the generated shapes set (24 steps, a second or two) into `path`. Returns the
/// error message, or empty.
inline std::string trainTinyShapesModel(const std::filesystem::path& path) {
    TrainRequest train;
    train.datasetSpec = "shapes:256:4";
    train.recipe.maxSteps = 24;
    train.threads = 2;
    train.device = "cpu";
    train.evalLimit = 32;
    train.outputPath = path.string();
    Feedback feedback;
    const auto result = runTrainJob(train, feedback, {});
    return result.outcome == Outcome::Completed ? std::string() : result.message;
}

}  // namespace sw::test
