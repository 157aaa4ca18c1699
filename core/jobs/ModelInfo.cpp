#include "jobs/ModelInfo.h"

#include "models/ModelFile.h"

namespace sw {

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
