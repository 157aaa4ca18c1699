#include "models/ModelFile.h"

#include <fstream>

#include <torch/script.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "models/NativeClassifier.h"
#include "models/TorchScriptClassifier.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

constexpr const char* kFormatKey = "format";
constexpr const char* kFormatName = "saliency-workbench-model";
constexpr const char* kDescriptionKey = "description";
constexpr const char* kNetworkKey = "network";

std::string firstLine(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

void requireReadableFile(const fs::path& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) throw InputError(path.string(), "file not found");
    if (fs::file_size(path, error) == 0) throw InputError(path.string(), "file is empty");
}

/// Opens the archive; nullopt when it is a readable archive without our format marker (TorchScript).
std::optional<ModelDescription> readNativeDescription(torch::serialize::InputArchive& archive, const fs::path& path) {
    try {
        // On the CPU whatever device the file was saved from; moveTo() places the model afterwards.
        archive.load_from(path.string(), torch::kCPU);
    } catch (const c10::Error& error) {
        throw InputError(path.string(), "not a model file, or damaged (" + firstLine(error.what_without_backtrace()) + ")");
    }
    c10::IValue format;
    if (!archive.try_read(kFormatKey, format) || !format.isString() || format.toStringRef() != kFormatName) {
        return std::nullopt;
    }
    c10::IValue text;
    if (!archive.try_read(kDescriptionKey, text) || !text.isString()) {
        throw InputError(path.string(), "model file has no description (damaged?)");
    }
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text.toStringRef());
    } catch (const nlohmann::json::exception& error) {
        throw InputError(path.string(), std::string("model description is not valid JSON: ") + error.what());
    }
    return ModelDescription::fromJson(document, path.string());
}

fs::path sidecarFor(const fs::path& path) {
    auto replaced = path;
    replaced.replace_extension(".json");
    if (fs::is_regular_file(replaced)) return replaced;
    const auto appended = fs::path(path.string() + ".json");
    return fs::is_regular_file(appended) ? appended : fs::path();
}

std::unique_ptr<ImageClassifier> loadTorchScript(const fs::path& path, const TorchScriptMetadata& metadata) {
    torch::jit::Module module;
    try {
        module = torch::jit::load(path.string(), torch::kCPU);
    } catch (const c10::Error& error) {
        throw InputError(path.string(), "not a model file, or damaged (" + firstLine(error.what_without_backtrace()) + ")");
    }
    ModelDescription description;
    description.arch = "torchscript";
    std::optional<std::array<int64_t, 3>> shape;
    const auto sidecar = sidecarFor(path);
    if (!sidecar.empty()) {
        try {
            std::ifstream in(sidecar);
            const auto document = nlohmann::json::parse(in);
            if (document.contains("input_shape")) {
                const auto values = document["input_shape"].get<std::vector<int64_t>>();
                if (values.size() != 3) throw InputError(sidecar.string(), "input_shape must be [C, H, W]");
                shape = std::array<int64_t, 3>{values[0], values[1], values[2]};
            }
            description.classes = document.value("classes", std::vector<std::string>{});
        } catch (const nlohmann::json::exception& error) {
            throw InputError(sidecar.string(), std::string("bad sidecar JSON: ") + error.what());
        }
    }
    if (metadata.inputShape) shape = metadata.inputShape;
    if (!metadata.classes.empty()) description.classes = metadata.classes;
    if (!shape) {
        throw InputError(path.string(), "TorchScript model needs its input shape: put " + path.stem().string() +
                                            ".json with {\"input_shape\": [C, H, W]} next to it, "
                                            "or pass --input-shape C,H,W");
    }
    description.inputShape = *shape;
    auto classifier = std::make_unique<TorchScriptClassifier>(std::move(module), description, path.string());
    // One probe forward checks the output contract and fills in class count when names are missing.
    torch::NoGradGuard noGrad;
    const auto probe = classifier->logits(torch::full({1, (*shape)[0], (*shape)[1], (*shape)[2]}, 0.5f));
    const auto classCount = probe.size(1);
    if (description.classes.empty()) {
        std::vector<std::string> numbered;
        for (int64_t k = 0; k < classCount; ++k) numbered.push_back(std::to_string(k));
        classifier->setClassNames(numbered);
    } else if (int64_t(description.classes.size()) != classCount) {
        throw InputError(path.string(), "returns " + std::to_string(classCount) + " logits but " +
                                            std::to_string(description.classes.size()) + " class names were given");
    }
    return classifier;
}

}  // namespace

void saveNativeModel(const Classifier& network, const fs::path& path) {
    torch::serialize::OutputArchive archive;
    archive.write(kFormatKey, c10::IValue(std::string(kFormatName)));
    archive.write(kDescriptionKey, c10::IValue(network->description().toJson().dump()));
    torch::serialize::OutputArchive weights;
    network->save(weights);
    archive.write(kNetworkKey, weights);
    writeFileAtomically(path, [&](const fs::path& temporary) { archive.save_to(temporary.string()); });
}

Classifier loadNativeNetwork(const fs::path& path) {
    requireReadableFile(path);
    torch::serialize::InputArchive archive;
    const auto description = readNativeDescription(archive, path);
    if (!description) {
        throw InputError(path.string(), "is a TorchScript file, not a native model file");
    }
    Classifier network(*description);
    try {
        torch::serialize::InputArchive weights;
        archive.read(kNetworkKey, weights);
        network->load(weights);
    } catch (const c10::Error& error) {
        throw InputError(path.string(), "weights do not match the description (" + firstLine(error.what_without_backtrace()) + ")");
    }
    network->eval();
    useChannelsLastWeights(network->parameters());  // loading replaced the weights' storage and strides
    return network;
}

std::unique_ptr<ImageClassifier> loadModel(const fs::path& path, const TorchScriptMetadata& metadata) {
    if (isNativeModelFile(path)) {
        return std::make_unique<NativeClassifier>(loadNativeNetwork(path));
    }
    return loadTorchScript(path, metadata);
}

bool isNativeModelFile(const fs::path& path) {
    requireReadableFile(path);
    torch::serialize::InputArchive archive;
    return readNativeDescription(archive, path).has_value();
}

}  // namespace sw
