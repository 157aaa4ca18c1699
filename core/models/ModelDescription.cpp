#include "models/ModelDescription.h"

#include <ctime>
#include <sstream>

#include "util/InputError.h"

#ifndef SW_VERSION
#define SW_VERSION "0.0.0"
#endif

namespace sw {

using nlohmann::json;

json SmoothingSpec::toJson() const {
    return {{"kind", kind}, {"after", after}, {"kernel_size", kernelSize}, {"sigma", sigma ? json(*sigma) : json(nullptr)}};
}

SmoothingSpec SmoothingSpec::fromJson(const json& entry) {
    SmoothingSpec block;
    block.kind = entry.at("kind").get<std::string>();
    block.after = entry.at("after").get<std::string>();
    block.kernelSize = entry.value("kernel_size", int64_t(3));
    if (entry.contains("sigma") && !entry["sigma"].is_null()) block.sigma = entry["sigma"].get<double>();
    return block;
}

json ModelDescription::toJson() const {
    json smoothingList = json::array();
    for (const auto& block : smoothing) smoothingList.push_back(block.toJson());
    return {{"format", "saliency-workbench-model"},
            {"format_version", 1},
            {"arch", arch},
            {"input_shape", inputShape},
            {"classes", classes},
            {"normalization", {{"mean", normalizationMean}, {"std", normalizationStd}}},
            {"smoothing", smoothingList},
            {"training", training},
            {"dataset", dataset},
            {"seed", seed},
            {"metrics", metrics},
            {"created", created},
            {"program_version", programVersion}};
}

ModelDescription ModelDescription::fromJson(const json& document, const std::string& source) {
    ModelDescription description;
    try {
        description.arch = document.at("arch").get<std::string>();
        const auto shape = document.at("input_shape").get<std::vector<int64_t>>();
        if (shape.size() != 3 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0) {
            throw InputError(source, "input_shape must be [C, H, W] with positive sizes");
        }
        description.inputShape = {shape[0], shape[1], shape[2]};
        description.classes = document.value("classes", std::vector<std::string>{});
        if (document.contains("normalization")) {
            description.normalizationMean = document["normalization"].value("mean", std::vector<double>{});
            description.normalizationStd = document["normalization"].value("std", std::vector<double>{});
        }
        for (const auto& entry : document.value("smoothing", json::array()))
            description.smoothing.push_back(SmoothingSpec::fromJson(entry));
        description.training = document.value("training", json::object());
        description.dataset = document.value("dataset", std::string());
        description.seed = document.value("seed", uint64_t(0));
        description.metrics = document.value("metrics", json::object());
        description.created = document.value("created", std::string());
        description.programVersion = document.value("program_version", std::string());
    } catch (const json::exception& error) {
        throw InputError(source, std::string("bad model description: ") + error.what());
    }
    return description;
}

std::string ModelDescription::badge() const {
    std::ostringstream text;
    const auto adversarial = training.value("adversarial", json::object());
    const auto attack = adversarial.value("kind", std::string("none"));
    if (attack == "none" || attack.empty()) {
        text << (arch == "torchscript" ? "torchscript" : "natural");
    } else {
        text << "adv " << attack << " \u03B5=" << adversarial.value("epsilon", 0.0);
    }
    for (const auto& block : smoothing) {
        text << " +" << block.kind << "@" << block.after;
    }
    return text.str();
}

std::string ModelDescription::inputShapeText() const {
    return std::to_string(inputShape[0]) + "\u00D7" + std::to_string(inputShape[1]) + "\u00D7" + std::to_string(inputShape[2]);
}

void setDefaultNormalization(ModelDescription& description, const std::string& datasetSpec) {
    const auto startsWith = [&](const char* prefix) { return datasetSpec.rfind(prefix, 0) == 0; };
    const auto channels = description.inputShape[0];
    if (startsWith("fmnist") || startsWith("fashion")) {
        description.normalizationMean = {0.2860};
        description.normalizationStd = {0.3530};
    } else if (startsWith("mnist")) {
        description.normalizationMean = {0.1307};
        description.normalizationStd = {0.3081};
    } else if (startsWith("cifar10")) {
        description.normalizationMean = {0.4914, 0.4822, 0.4465};
        description.normalizationStd = {0.2470, 0.2435, 0.2616};
    } else if (startsWith("imagefolder") && channels == 3) {
        description.normalizationMean = {0.485, 0.456, 0.406};
        description.normalizationStd = {0.229, 0.224, 0.225};
    } else {
        description.normalizationMean.assign(size_t(channels), 0.5);
        description.normalizationStd.assign(size_t(channels), 0.25);
    }
    if (int64_t(description.normalizationMean.size()) != channels) {
        description.normalizationMean.assign(size_t(channels), description.normalizationMean.front());
        description.normalizationStd.assign(size_t(channels), description.normalizationStd.front());
    }
}

std::string currentUtcTimestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string programVersion() { return SW_VERSION; }

}  // namespace sw
