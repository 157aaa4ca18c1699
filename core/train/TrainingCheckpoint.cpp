#include "train/TrainingCheckpoint.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace sw {

namespace {

constexpr const char* kFormatName = "saliency-workbench-checkpoint";

void openCheckpoint(torch::serialize::InputArchive& archive, const std::filesystem::path& path, const torch::Device& device = torch::kCPU) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) throw InputError(path.string(), "checkpoint not found");
    try {
        archive.load_from(path.string(), device);
    } catch (const c10::Error& failure) {
        const std::string what = failure.what_without_backtrace();
        throw InputError(path.string(), "not a checkpoint, or damaged (" + what.substr(0, what.find('\n')) + ")");
    }
    c10::IValue format;
    if (!archive.try_read("format", format) || !format.isString() || format.toStringRef() != kFormatName) {
        throw InputError(path.string(), "not a training checkpoint of this program");
    }
}

nlohmann::json readJson(torch::serialize::InputArchive& archive, const char* key, const std::filesystem::path& path) {
    c10::IValue text;
    if (!archive.try_read(key, text) || !text.isString()) {
        throw InputError(path.string(), std::string("checkpoint lacks '") + key + "' (damaged?)");
    }
    try {
        return nlohmann::json::parse(text.toStringRef());
    } catch (const nlohmann::json::exception& error) {
        throw InputError(path.string(), std::string("checkpoint '") + key + "' is not valid JSON");
    }
}

}  // namespace

void saveTrainingCheckpoint(const std::filesystem::path& path, const Classifier& network, torch::optim::Optimizer& optimizer,
                            const TrainingPosition& position) {
    torch::serialize::OutputArchive archive;
    archive.write("format", c10::IValue(std::string(kFormatName)));
    archive.write("description", c10::IValue(network->description().toJson().dump()));
    archive.write("position", c10::IValue(nlohmann::json{{"global_step", position.globalStep}, {"recipe", position.recipe}}.dump()));
    torch::serialize::OutputArchive weights, optimizerState;
    network->save(weights);
    optimizer.save(optimizerState);
    archive.write("network", weights);
    archive.write("optimizer", optimizerState);
    writeFileAtomically(path, [&](const std::filesystem::path& temporary) { archive.save_to(temporary.string()); });
}

ModelDescription readCheckpointDescription(const std::filesystem::path& path) {
    torch::serialize::InputArchive archive;
    openCheckpoint(archive, path);
    return ModelDescription::fromJson(readJson(archive, "description", path), path.string());
}

TrainingPosition loadTrainingCheckpoint(const std::filesystem::path& path, Classifier& network, torch::optim::Optimizer& optimizer,
                                        const torch::Device& device) {
    torch::serialize::InputArchive archive;
    openCheckpoint(archive, path, device);
    const auto positionJson = readJson(archive, "position", path);
    try {
        torch::serialize::InputArchive weights, optimizerState;
        archive.read("network", weights);
        archive.read("optimizer", optimizerState);
        network->load(weights);
        optimizer.load(optimizerState);
    } catch (const c10::Error& failure) {
        const std::string what = failure.what_without_backtrace();
        throw InputError(path.string(), "checkpoint does not match the model (" + what.substr(0, what.find('\n')) + ")");
    }
    TrainingPosition position;
    position.globalStep = positionJson.value("global_step", int64_t(0));
    position.recipe = positionJson.value("recipe", nlohmann::json::object());
    return position;
}

}  // namespace sw
