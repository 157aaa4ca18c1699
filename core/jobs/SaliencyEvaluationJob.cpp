#include "jobs/SaliencyEvaluationJob.h"

#include <filesystem>

#include "jobs/detail/SelectedInputs.h"
#include "metrics/EvaluationProtocol.h"
#include "models/ModelFile.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace sw {

JobResult runSaliencyEvaluationJob(const SaliencyEvaluationRequest& request, Feedback& feedback, std::string* summaryJson) {
    return runGuarded([&]() -> JobResult {
        request.protocol.validate();
        prepareCpuCompute(request.threads);
        const PrecisionScope precision(request.precision);
        auto [model, data] = loadEvaluationInputs(request.modelPath, request.datasetSpec, request.limit, request.device,
                                                  TorchScriptMetadata{request.inputShape, request.classNames});
        auto document = evaluateProtocol(*model, data, request.protocol, &feedback);
        document["model"]["path"] = request.modelPath;
        if (!request.jsonPath.empty()) writeTextFileAtomically(request.jsonPath, document.dump(2) + "\n");
        if (summaryJson) *summaryJson = document.dump(2);
        feedback.setProgress(1.0, "done");
        return JobResult::completed("scored " + std::to_string(document["n_scored"].get<int64_t>()) + " of " +
                                    std::to_string(document["n_total"].get<int64_t>()) + " inputs");
    });
}

}  // namespace sw
