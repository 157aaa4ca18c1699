#include "jobs/ModelInfo.h"

#include "explain/SaliencyExplainer.h"
#include "explain/SaliencyMethods.h"
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
    // Where CAMs can look, and which methods the model allows (explain/SaliencyMethods.h).
    json["feature_layers"] = model->featureLayers();
    json["default_feature_layer"] = model->defaultFeatureLayer();
    std::vector<std::string> methods;
    nlohmann::json refused = nlohmann::json::object();
    for (const auto& method : saliencyMethods()) {
        const auto unmet = unmetModelNeeds(*model, method.id);
        if (unmet.empty()) {
            methods.push_back(method.id);
        } else {
            refused[method.id] = unmet;
        }
    }
    json["methods"] = methods;
    if (!refused.empty()) json["methods_refused"] = refused;
    return json.dump(2);
}

}  // namespace sw
