#include "jobs/TrainRequestFile.h"

#include <fstream>
#include <sstream>

#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace sw {

using nlohmann::json;

namespace {
constexpr const char* kFormat = "saliency-workbench-train-request";
}

json trainRequestToJson(const TrainRequest& request) {
    json smoothing = json::array();
    for (const auto& block : request.smoothing) smoothing.push_back(block.toJson());
    return {{"format", kFormat},
            {"format_version", 1},
            {"dataset", request.datasetSpec},
            {"arch", request.arch},
            {"recipe", request.recipe.toJson()},
            {"smoothing", smoothing},
            {"normalization", request.normalization},
            {"device", request.device},
            {"threads", request.threads},
            {"precision", precisionName(request.precision)},
            {"output", request.outputPath},
            {"checkpoint", request.checkpointPath},
            {"checkpoint_every_steps", request.checkpointEverySteps},
            {"resume_from", request.resumeFrom},
            {"log_csv", request.logCsvPath},
            {"eval_limit", request.evalLimit},
            {"eval_robust", request.evalRobust},
            {"train_limit", request.trainLimit},
            {"timeline", request.timeline.enabled ? request.timeline.toJson() : json(nullptr)}};
}

TrainRequest trainRequestFromJson(const json& document, const std::string& source) {
    if (!document.is_object() || document.value("format", std::string()) != kFormat)
        throw InputError(source, std::string("not a training request (expected \"format\": \"") + kFormat + "\")");
    TrainRequest request;
    try {
        request.datasetSpec = document.value("dataset", request.datasetSpec);
        request.arch = document.value("arch", request.arch);
        if (document.contains("recipe")) request.recipe = TrainRecipe::fromJson(document.at("recipe"));
        for (const auto& entry : document.value("smoothing", json::array())) request.smoothing.push_back(SmoothingSpec::fromJson(entry));
        request.normalization = document.value("normalization", request.normalization);
        request.device = document.value("device", request.device);
        request.threads = document.value("threads", request.threads);
        if (document.contains("precision")) {
            request.precision = parsePrecision(document.at("precision").get<std::string>(), true, source + ": \"precision\"");
        } else if (document.value("mixed_precision", std::string("none")) == "bf16") {
            request.precision = Precision::BF16;  // written before there was a precision
        }
        request.outputPath = document.value("output", request.outputPath);
        request.checkpointPath = document.value("checkpoint", request.checkpointPath);
        request.checkpointEverySteps = document.value("checkpoint_every_steps", request.checkpointEverySteps);
        request.resumeFrom = document.value("resume_from", request.resumeFrom);
        request.logCsvPath = document.value("log_csv", request.logCsvPath);
        request.evalLimit = document.value("eval_limit", request.evalLimit);
        request.evalRobust = document.value("eval_robust", request.evalRobust);
        request.trainLimit = document.value("train_limit", request.trainLimit);
        if (document.contains("timeline") && !document.at("timeline").is_null()) {
            request.timeline = TimelineOptions::fromJson(document.at("timeline"), source + ": \"timeline\"");
        }
    } catch (const json::exception& error) {
        throw InputError(source, std::string("bad training request: ") + error.what());
    }
    if (request.outputPath.empty()) throw InputError(source, "the training request names no \"output\" model file");
    return request;
}

void writeTrainRequest(const std::string& path, const TrainRequest& request) {
    writeTextFileAtomically(path, trainRequestToJson(request).dump(2) + "\n");
}

TrainRequest readTrainRequest(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, "cannot open the training request");
    std::stringstream text;
    text << in.rdbuf();
    json document;
    try {
        document = json::parse(text.str());
    } catch (const json::parse_error& error) {
        throw InputError(path, std::string("the training request is not valid JSON: ") + error.what());
    }
    return trainRequestFromJson(document, path);
}

}  // namespace sw
