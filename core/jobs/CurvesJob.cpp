#include "jobs/CurvesJob.h"

#include <filesystem>

#include "explain/SaliencyExplainer.h"
#include "jobs/detail/SelectedInputs.h"
#include "metrics/StabilityCurve.h"
#include "models/ModelFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace sw {

JobResult runCurvesJob(const CurvesRequest& request, Feedback& feedback, const std::function<void(const CurveRow&)>& onRow) {
    return runGuarded([&]() -> JobResult {
        if (request.modelPaths.empty()) throw InputError("--models", "give at least one model");
        request.saliency.validate();
        prepareCpuCompute(request.threads);
        const PrecisionScope precision(request.precision);
        std::vector<CurveRow> rows;
        const double modelCount = double(request.modelPaths.size());
        for (size_t m = 0; m < request.modelPaths.size(); ++m) {
            const auto& path = request.modelPaths[m];
            auto [model, data] = loadEvaluationInputs(path, request.datasetSpec, request.limit, request.device, {});
            SaliencyExplainer explainer(*model, request.saliency);
            StabilityCurveOptions options;
            if (!request.noiseLevels.empty()) options.noiseLevels = request.noiseLevels;
            options.measures = request.measures;
            options.seed = request.seed;
            const auto name = std::filesystem::path(path).stem().string();
            const auto pixels = data.floatImages(torch::arange(data.size(), torch::kInt64));
            StageFeedback stage(&feedback, double(m) / modelCount, 1.0 / modelCount, name);
            stabilityCurve(
                *model, explainer, pixels, data.labels, options,
                [&](const StabilityCurvePoint& point) {
                    rows.push_back({name, request.saliency.method, point.measure, point.noiseSigma, point.statistics.mean,
                                    point.statistics.ci95Low, point.statistics.ci95High, point.kept});
                    if (onRow) onRow(rows.back());
                },
                {}, &stage);
        }
        if (!request.csvPath.empty()) writeCurvesCsv(request.csvPath, rows);
        return JobResult::completed("curves for " + std::to_string(request.modelPaths.size()) + " models");
    });
}

}  // namespace sw
