#include "jobs/EvaluateJob.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "jobs/JobSupport.h"
#include "metrics/EvaluationProtocol.h"
#include "metrics/StabilityCurve.h"
#include "models/ModelFile.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

namespace {

struct LoadedEvaluation {
    std::unique_ptr<ImageClassifier> model;
    Dataset data;
};

LoadedEvaluation loadModelAndData(const std::string& modelPath, const std::string& datasetSpec, int64_t limit,
                                  const std::string& device, const TorchScriptMetadata& metadata) {
    LoadedEvaluation loaded;
    loaded.model = loadModel(modelPath, metadata);
    DatasetLoadOptions load;
    load.imageShape = loaded.model->description().inputShape;
    loaded.data = loadDataset(DatasetSpec::parse(datasetSpec), load).head(limit);
    loaded.model->checkCompatible(loaded.data, modelPath);
    if (loaded.data.size() == 0) throw InputError("--dataset " + datasetSpec, "holds no samples");
    loaded.model->moveTo(resolveDevice(device));
    return loaded;
}

}  // namespace

JobResult runEvaluateJob(const EvaluateRequest& request, Feedback& feedback, std::string* summaryJson) {
    return runGuarded([&]() -> JobResult {
        validateEvaluationMetrics(request.metrics);
        request.saliency.validate();
        setComputeThreads(request.threads);
        auto [model, data] = loadModelAndData(request.modelPath, request.datasetSpec, request.limit, request.device,
                                              TorchScriptMetadata{request.inputShape, request.classNames});
        const auto document = evaluateProtocol(*model, data, request, feedback);
        if (!document) return JobResult::cancelled();
        if (!request.jsonPath.empty()) writeTextFileAtomically(request.jsonPath, document->dump(2) + "\n");
        if (summaryJson) *summaryJson = document->dump(2);
        feedback.setProgress(1.0, "done");
        return JobResult::completed("scored " + std::to_string((*document)["n_scored"].get<int64_t>()) + " of " +
                                    std::to_string((*document)["n_total"].get<int64_t>()) + " inputs");
    });
}

JobResult runCurvesJob(const CurvesRequest& request, Feedback& feedback, const std::function<void(const CurveRow&)>& onRow) {
    return runGuarded([&]() -> JobResult {
        if (request.modelPaths.empty()) throw InputError("--models", "give at least one model");
        setComputeThreads(request.threads);
        std::ostringstream csv;
        csv << "model,method,measure,sigma,mean,ci_low,ci_high,n\n" << std::setprecision(8);
        for (size_t m = 0; m < request.modelPaths.size(); ++m) {
            const auto& path = request.modelPaths[m];
            auto [model, data] = loadModelAndData(path, request.datasetSpec, request.limit, request.device, {});
            SaliencyExplainer explainer(*model, request.saliency);
            StabilityCurveOptions options;
            if (!request.noiseLevels.empty()) options.noiseLevels = request.noiseLevels;
            options.measures = request.measures;
            options.seed = request.seed;
            const auto name = std::filesystem::path(path).stem().string();
            const auto pixels = data.floatImages(torch::arange(data.size(), torch::kInt64));
            stabilityCurve(*model, explainer, pixels, data.labels, options,
                           [&](const StabilityCurvePoint& point) {
                               const CurveRow row{name, request.saliency.method, point.measure, point.noiseSigma,
                                                  point.statistics.mean, point.statistics.ci95Low, point.statistics.ci95High, point.kept};
                               csv << row.model << ',' << row.method << ',' << row.measure << ',' << row.noiseSigma << ','
                                   << row.mean << ',' << row.ciLow << ',' << row.ciHigh << ',' << row.n << '\n';
                               if (onRow) onRow(row);
                           },
                           &feedback);
            if (feedback.isCancelled()) return JobResult::cancelled();
        }
        if (!request.csvPath.empty()) writeTextFileAtomically(request.csvPath, csv.str());
        return JobResult::completed("curves for " + std::to_string(request.modelPaths.size()) + " models");
    });
}

}  // namespace sw
