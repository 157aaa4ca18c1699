#pragma once

#include <functional>
#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"
#include "io/CurvesCsv.h"
#include "jobs/JobEdge.h"
#include "util/Precision.h"

namespace sw {

/// `saliency-cli curves` and the stability lab: a measure against noise for several models, as one
/// curves.csv (io/CurvesCsv.h).
struct CurvesRequest {
    std::vector<std::string> modelPaths;
    std::string datasetSpec = "fmnist:test";
    int64_t limit = 200;
    SaliencyConfig saliency;
    std::vector<std::string> measures = {"ssim"};  ///< those of evaluationMeasures() drawn against noise
    std::vector<double> noiseLevels;               ///< empty = the authors' eight
    uint64_t seed = 0;
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;  ///< fp32 (default) or tf32 (util/Precision.h)
    std::string csvPath;                       ///< empty = no file
};

/// Each row goes to `onRow` as soon as its σ is done (for live plots); the CSV is written at the end.
JobResult runCurvesJob(const CurvesRequest& request, Feedback& feedback, const std::function<void(const CurveRow&)>& onRow = {});

}  // namespace sw
