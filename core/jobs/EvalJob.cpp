#include "jobs/EvalJob.h"

#include "data/DatasetLoader.h"
#include "models/ModelFile.h"
#include "train/Evaluation.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

JobResult runEvalJob(const EvalRequest& request, Feedback& feedback, EvalSummary* summary) {
    try {
        setComputeThreads(request.threads);
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
        const auto report = evaluateAccuracy(*model, data, options, feedback);
        if (report.cancelled) return JobResult::cancelled();

        nlohmann::json result = {{"model", description.toJson()}, {"model_path", request.modelPath},
                                 {"dataset", data.spec}, {"n_total", report.count}, {"seed", request.seed},
                                 {"summary", {{"accuracy", report.accuracy}}}};
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
    } catch (const InputError& error) {
        return JobResult::failed(error.what());
    } catch (const c10::Error& error) {
        return JobResult::failed(error.what_without_backtrace());
    } catch (const std::exception& error) {
        return JobResult::failed(error.what());
    }
}

std::string describeModelFile(const std::string& path, const std::optional<std::array<int64_t, 3>>& inputShape,
                              const std::vector<std::string>& classNames) {
    const auto model = loadModel(path, TorchScriptMetadata{inputShape, classNames});
    auto json = model->description().toJson();
    json["badge"] = model->description().badge();
    int64_t parameterCount = 0;
    for (const auto& parameter : model->parameters()) parameterCount += parameter.numel();
    json["parameter_count"] = parameterCount;
    return json.dump(2);
}

}  // namespace sw
