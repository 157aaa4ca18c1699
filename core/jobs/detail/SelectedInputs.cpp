#include "jobs/detail/SelectedInputs.h"

#include "data/DatasetLoader.h"
#include <filesystem>

#include "data/ImageFile.h"
#include "util/ListParsing.h"
#include "models/ImageClassifier.h"
#include "models/ModelFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

SelectedInputs loadInputs(const ImageClassifier& model, const std::string& modelPath, const std::string& datasetSpec,
                          const std::string& indices, const std::vector<std::string>& imageFiles) {
    const auto shape = model.description().inputShape;
    SelectedInputs inputs;
    if (!imageFiles.empty()) {
        std::vector<torch::Tensor> images;
        for (size_t i = 0; i < imageFiles.size(); ++i) {
            std::string conversion;
            images.push_back(loadImageFile(imageFiles[i], shape[0], shape[1], shape[2], &conversion));
            if (!conversion.empty()) inputs.notices.push_back(std::filesystem::path(imageFiles[i]).filename().string() + ": " + conversion);
            inputs.indices.push_back(int64_t(i));
            inputs.sources.push_back(imageFiles[i]);
        }
        inputs.pixels = torch::stack(images).to(torch::kFloat32).div_(255.0f);
        inputs.labels = torch::full({int64_t(images.size())}, -1, torch::kInt64);
        return inputs;
    }
    if (datasetSpec.empty()) throw InputError("--dataset", "give a dataset with --indices, or image files with --image");
    DatasetLoadOptions load;
    load.imageShape = shape;
    const auto data = loadDataset(DatasetSpec::parse(datasetSpec), load);
    model.checkCompatible(data, modelPath);
    inputs.indices = parseIndexList(indices);
    for (const auto index : inputs.indices) {
        if (index >= data.size()) {
            throw InputError("--indices " + indices, "index " + std::to_string(index) + " is beyond the last sample (" +
                                                         std::to_string(data.size() - 1) + ") of " + data.spec);
        }
        inputs.sources.push_back(data.spec);
    }
    const auto selection = torch::tensor(inputs.indices, torch::kInt64);
    inputs.pixels = data.floatImages(selection);
    inputs.labels = data.labels.index_select(0, selection);
    return inputs;
}

EvaluationInputs loadEvaluationInputs(const std::string& modelPath, const std::string& datasetSpec, int64_t limit,
                                      const std::string& device, const TorchScriptMetadata& metadata) {
    EvaluationInputs loaded;
    loaded.model = loadModel(modelPath, metadata);
    DatasetLoadOptions load;
    load.imageShape = loaded.model->description().inputShape;
    loaded.data = loadDataset(DatasetSpec::parse(datasetSpec), load).head(limit);
    loaded.model->checkCompatible(loaded.data, modelPath);
    if (loaded.data.size() == 0) throw InputError("--dataset " + datasetSpec, "holds no samples");
    loaded.model->moveTo(resolveDevice(device));
    return loaded;
}

}  // namespace sw
