#include "jobs/CompareSession.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include "data/DatasetLoader.h"
#include "data/ImageConversion.h"
#include "explain/SaliencyExplainer.h"
#include "models/Predictions.h"
#include "io/HeatmapImage.h"
#include "jobs/detail/SelectedInputs.h"
#include "metrics/Sparseness.h"
#include "models/ModelFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

struct LoadedModel {
    fs::file_time_type modified;
    std::string deviceName;
    std::unique_ptr<ImageClassifier> model;
    int64_t bytes = 0;      ///< parameters and buffers, on deviceName
    uint64_t lastUsed = 0;  ///< the request that last used it
};

struct LoadedDataset {
    Dataset data;
    uint64_t lastUsed = 0;
};

/// Bounds of the caches: a grid of 6 models (the largest the compare panel offers) and a few datasets stay
/// resident; beyond that, or beyond the memory bound on one device, the least recently used go first.
constexpr size_t kMaxCachedModels = 8;
constexpr int64_t kMaxModelBytesPerDevice = int64_t(2) << 30;
constexpr size_t kMaxCachedDatasets = 3;

int64_t tensorBytes(ImageClassifier& model) {
    int64_t bytes = 0;
    for (const auto& parameter : model.parameters()) bytes += parameter.numel() * int64_t(parameter.element_size());
    return bytes;
}

/// Evicts least recently used entries, never one the current request uses, while `tooMuch` says so.
template <typename Map, typename TooMuch>
void evictLeastRecentlyUsed(Map& cache, uint64_t currentRequest, const TooMuch& tooMuch) {
    while (tooMuch()) {
        auto oldest = cache.end();
        for (auto it = cache.begin(); it != cache.end(); ++it) {
            if (it->second.lastUsed != currentRequest && (oldest == cache.end() || it->second.lastUsed < oldest->second.lastUsed))
                oldest = it;
        }
        if (oldest == cache.end()) return;  // everything left is in use
        cache.erase(oldest);
    }
}

std::string shapeKey(const std::array<int64_t, 3>& shape) {
    return std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + "x" + std::to_string(shape[2]);
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

struct CompareSession::State {
    std::mutex mutex;
    std::map<std::string, LoadedModel> models;
    std::map<std::string, LoadedDataset> datasets;
    uint64_t request = 0;  ///< counts compare/overview calls, for least-recently-used eviction

    void beginRequest() { ++request; }

    int64_t bytesOn(const std::string& deviceName) const {
        int64_t bytes = 0;
        for (const auto& [key, loaded] : models) {
            if (loaded.deviceName == deviceName) bytes += loaded.bytes;
        }
        return bytes;
    }

    ImageClassifier& model(const ModelReference& reference, const torch::Device& device) {
        const fs::path path = reference.path;
        std::error_code error;
        const auto modified = fs::last_write_time(path, error);
        if (error) throw InputError(reference.path, "cannot read the model file (" + error.message() + ")");
        // A TorchScript file described again with another shape or other classes is another model.
        std::string key = reference.path;
        if (reference.inputShape) key += "|" + shapeKey(*reference.inputShape);
        for (const auto& name : reference.classNames) key += "|" + name;
        auto found = models.find(key);
        if (found == models.end() || found->second.modified != modified || found->second.deviceName != device.str()) {
            auto loaded = loadModel(path, TorchScriptMetadata{reference.inputShape, reference.classNames});
            loaded->moveTo(device);
            loaded->setTrainingMode(false);
            const auto bytes = tensorBytes(*loaded);
            found = models.insert_or_assign(key, LoadedModel{modified, device.str(), std::move(loaded), bytes, request}).first;
            evictLeastRecentlyUsed(models, request,
                                   [&] { return models.size() > kMaxCachedModels || bytesOn(device.str()) > kMaxModelBytesPerDevice; });
        }
        found->second.lastUsed = request;
        return *found->second.model;
    }

    const Dataset& dataset(const std::string& spec, const std::optional<std::array<int64_t, 3>>& shape) {
        const auto key = spec + "@" + (shape ? shapeKey(*shape) : std::string("native"));
        auto found = datasets.find(key);
        if (found == datasets.end()) {
            DatasetLoadOptions options;
            options.imageShape = shape;
            found = datasets.emplace(key, LoadedDataset{loadDataset(DatasetSpec::parse(spec), options), request}).first;
            evictLeastRecentlyUsed(datasets, request, [&] { return datasets.size() > kMaxCachedDatasets; });
        }
        found->second.lastUsed = request;
        return found->second.data;
    }
};

CompareSession::CompareSession() : m_state(std::make_unique<State>()) {}
CompareSession::~CompareSession() = default;

size_t CompareSession::cachedModelCount() const {
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->models.size();
}

size_t CompareSession::cachedDatasetCount() const {
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->datasets.size();
}

JobResult CompareSession::compare(const CompareRequest& request, Feedback& feedback,
                                  const std::function<void(const CompareImage&)>& onImage,
                                  const std::function<void(const CompareCell&)>& onCell) {
    return runGuarded([&]() -> JobResult {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        // The grid explains: always true float32, even while a TF32 training run is going on (util/PrecisionScope.h).
        const PrecisionScope exact(Precision::Float32);
        m_state->beginRequest();
        if (request.models.empty()) throw InputError("compare", "choose at least one model");
        if (request.methods.empty()) throw InputError("compare", "choose at least one method");
        for (const auto& method : request.methods) method.validate();
        const auto device = resolveDevice(request.device);

        // The image is fitted to the first model that loads; the others must agree with it.
        std::vector<ImageClassifier*> models(request.models.size(), nullptr);
        std::vector<std::string> modelErrors(request.models.size());
        for (size_t m = 0; m < request.models.size(); ++m) {
            try {
                models[m] = &m_state->model(request.models[m], device);
            } catch (const std::exception& error) {
                modelErrors[m] = error.what();
            }
        }
        const ImageClassifier* reference = nullptr;
        for (auto* model : models) {
            if (model && !reference) reference = model;
        }
        if (!reference) throw std::runtime_error(modelErrors.front());  // already names the file
        const auto shape = reference->description().inputShape;

        CompareImage image;
        image.classNames = reference->description().classes;
        torch::Tensor pixels;  // 1×C×H×W float in [0, 1]
        if (!request.imageFile.empty()) {
            std::string conversion;
            pixels =
                loadImageFile(request.imageFile, shape[0], shape[1], shape[2], &conversion).unsqueeze(0).to(torch::kFloat32).div_(255.0f);
            image.source = fs::path(request.imageFile).filename().string();
            if (!conversion.empty()) image.source += " (" + conversion + ")";
        } else {
            const auto& data = m_state->dataset(request.datasetSpec, shape);
            if (request.index < 0 || request.index >= data.size()) {
                throw InputError(data.spec, "there is no sample " + std::to_string(request.index) + " (the set has " +
                                                std::to_string(data.size()) + ")");
            }
            const auto selection = torch::tensor({request.index}, torch::kInt64);
            pixels = data.floatImages(selection);
            image.label = data.labels[request.index].item<int64_t>();
            image.source = data.spec + " #" + std::to_string(request.index);
            if (!data.classNames.empty()) image.classNames = data.classNames;
        }
        if (request.noiseSigma > 0) {
            auto generator = at::make_generator<at::CPUGeneratorImpl>(request.noiseSeed);
            const auto unitNoise = torch::randn(pixels.sizes(), generator, torch::kFloat32);
            pixels = (pixels + float(request.noiseSigma) * unitNoise).clamp_(0.0f, 1.0f);
        }
        image.pixels = tensorToMat(pixels[0]);
        if (onImage) onImage(image);

        const auto labels = torch::full({1}, image.label, torch::kInt64);
        const double cellCount = double(request.models.size() * request.methods.size());
        size_t done = 0;
        for (size_t k = 0; k < request.methods.size(); ++k) {
            for (size_t m = 0; m < request.models.size(); ++m) {
                throwIfCancelled(&feedback);
                const auto started = std::chrono::steady_clock::now();
                CompareCell cell;
                cell.modelIndex = m;
                cell.methodIndex = k;
                try {
                    if (!models[m]) throw std::runtime_error(modelErrors[m]);
                    auto& model = *models[m];
                    if (model.description().inputShape != shape) {
                        throw InputError(request.models[m].path, "expects " + model.description().inputShapeText() +
                                                                     " images, the others " + reference->description().inputShapeText());
                    }
                    const auto input = toDevice(pixels, model.device());
                    const auto prediction = predict(model, input).front();
                    cell.prediction = prediction.index;
                    cell.confidence = prediction.confidence;
                    cell.predictedClass = prediction.className;
                    SaliencyExplainer explainer(model, request.methods[k]);
                    const auto targets = explainer.resolveTargets(input, labels.to(model.device()));
                    const auto attributions = explainer.attribute(input, targets, &feedback);
                    cell.gini = giniIndex(attributions)[0].item<double>();
                    cell.heatmap = heatmapToMat(heatmapOf(attributions, request.methods[k].heatmapReduction)[0]);
                } catch (const Cancelled&) {
                    throw;  // cancel ends the job; it is not this cell's error
                } catch (const std::exception& error) {
                    cell.error = readableMessage(error);
                }
                cell.milliseconds = millisecondsSince(started);
                if (onCell) onCell(cell);
                ++done;
                feedback.setProgress(double(done) / cellCount,
                                     "explained " + std::to_string(done) + " of " + std::to_string(size_t(cellCount)) + " cells");
            }
        }
        return JobResult::completed(image.source);
    });
}

JobResult CompareSession::overview(const std::string& datasetSpec, const std::optional<ModelReference>& modelReference,
                                   const std::string& device, Feedback& feedback, DatasetOverview* overview) {
    return runGuarded([&]() -> JobResult {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        const PrecisionScope exact(Precision::Float32);
        m_state->beginRequest();
        ImageClassifier* model = nullptr;
        std::optional<std::array<int64_t, 3>> shape;
        if (modelReference) {
            model = &m_state->model(*modelReference, resolveDevice(device));
            shape = model->description().inputShape;
        }
        feedback.setProgress(0.0, "loading " + datasetSpec);
        const auto& data = m_state->dataset(datasetSpec, shape);
        if (model) model->checkCompatible(data, modelReference->path);

        DatasetOverview result;
        result.spec = data.spec;
        result.classNames = data.classNames;
        const auto labels = data.labels.contiguous();
        result.labels.assign(labels.data_ptr<int64_t>(), labels.data_ptr<int64_t>() + labels.numel());
        result.thumbnails.reserve(size_t(data.size()));
        for (int64_t i = 0; i < data.size(); ++i) result.thumbnails.push_back(tensorToMat(data.images[i]));

        if (model) {
            const auto predictions = predictedClasses(*model, data, 500, &feedback).contiguous();
            result.predictions.assign(predictions.data_ptr<int64_t>(), predictions.data_ptr<int64_t>() + predictions.numel());
        }
        if (overview) *overview = std::move(result);
        return JobResult::completed(data.spec);
    });
}

}  // namespace sw
