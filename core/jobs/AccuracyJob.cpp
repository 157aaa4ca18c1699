#include "jobs/AccuracyJob.h"

#include "data/DatasetLoader.h"
#include "models/ModelFile.h"
#include "train/Evaluation.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace sw {

JobResult runAccuracyJob(const AccuracyRequest& request, Feedback& feedback, AccuracySummary* summary) {
    return runGuarded([&]() -> JobResult {
        prepareCpuCompute(request.threads);
        const PrecisionScope precision(request.precision);
        const auto device = resolveDevice(request.device);
        TorchScriptMetadata metadata{request.inputShape, request.classNames};
        auto model = loadModel(request.modelPath, metadata);
        const auto& description = model->description();
        DatasetLoadOptions load;
        load.imageShape = description.inputShape;
        const auto data = loadDataset(DatasetSpec::parse(request.datasetSpec), load);
        model->checkCompatible(data, request.modelPath);
        model->moveTo(device);

        AccuracyOptions options;
        options.limit = request.limit;
        options.seed = request.seed;
        if (request.robust) {
            AttackConfig attack = request.attack.value_or(robustnessAttackFor(description));
            attack.validate();
            options.attack = attack;
        }
        const auto report = evaluateAccuracy(*model, data, options, &feedback);

        nlohmann::json result = {{"model", description.toJson()},
                                 {"model_path", request.modelPath},
                                 {"dataset", data.spec},
                                 {"n_total", report.count},
                                 {"seed", request.seed},
                                 {"summary", {{"accuracy", report.accuracy}}},
                                 {"precision", precisionName(request.precision)}};
        if (report.robustAccuracy) {
            result["summary"]["robust_accuracy"] = *report.robustAccuracy;
            result["attack"] = options.attack->toJson();
        }
        if (!request.jsonPath.empty()) writeTextFileAtomically(request.jsonPath, result.dump(2) + "\n");
        if (summary) {
            summary->count = report.count;
            summary->accuracy = report.accuracy;
            summary->robustAccuracy = report.robustAccuracy;
            if (options.attack) summary->attackText = options.attack->toJson().dump();
        }
        return JobResult::completed("accuracy " + std::to_string(report.accuracy));
    });
}

}  // namespace sw
