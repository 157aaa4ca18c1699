#include "timeline/TimelineFolder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "io/NpyFile.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

constexpr const char* kFormat = "saliency-workbench-timeline";
constexpr int kVersion = 1;

/// NaN has no JSON spelling: it is written as null and read back as NaN.
nlohmann::json numberOrNull(double value) { return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value); }
double numberOrNan(const nlohmann::json& value) { return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>(); }

nlohmann::json snapshotToJson(const TimelineSnapshot& snapshot) {
    nlohmann::json measures = nlohmann::json::object();
    for (const auto& [method, m] : snapshot.measures) {
        measures[method] = {{"gini", numberOrNull(m.gini)},
                            {"ris", numberOrNull(m.ris)},
                            {"ris_count", m.risCount},
                            {"ssim", numberOrNull(m.ssim)},
                            {"ssim_pairs", m.ssimPairs}};
    }
    return {{"step", snapshot.step},
            {"epoch", snapshot.epoch},
            {"held_out_accuracy", snapshot.heldOutAccuracy},
            {"predictions", snapshot.predictions},
            {"confidences", snapshot.confidences},
            {"measures", measures},
            {"cost_seconds", numberOrNull(snapshot.costSeconds)}};
}

TimelineSnapshot snapshotFromJson(const nlohmann::json& json) {
    TimelineSnapshot snapshot;
    snapshot.step = json.at("step").get<int64_t>();
    snapshot.epoch = json.at("epoch").get<int64_t>();
    snapshot.heldOutAccuracy = json.at("held_out_accuracy").get<double>();
    snapshot.predictions = json.at("predictions").get<std::vector<int64_t>>();
    snapshot.confidences = json.at("confidences").get<std::vector<double>>();
    for (const auto& [method, m] : json.at("measures").items()) {
        TimelineMeasures measures;
        measures.gini = numberOrNan(m.at("gini"));
        measures.ris = numberOrNan(m.at("ris"));
        measures.risCount = m.at("ris_count").get<int64_t>();
        measures.ssim = numberOrNan(m.at("ssim"));
        measures.ssimPairs = m.at("ssim_pairs").get<int64_t>();
        snapshot.measures[method] = measures;
    }
    if (json.contains("cost_seconds")) snapshot.costSeconds = numberOrNan(json.at("cost_seconds"));
    return snapshot;
}

}  // namespace

double TimelineSnapshot::probeAccuracy(const std::vector<int64_t>& labels) const {
    if (labels.empty() || labels.size() != predictions.size()) return std::numeric_limits<double>::quiet_NaN();
    int64_t correct = 0;
    for (size_t i = 0; i < labels.size(); ++i) correct += predictions[i] == labels[i];
    return double(correct) / double(labels.size());
}

double TimelineIndex::recordingCostSeconds() const {
    double seconds = 0.0;
    for (const auto& snapshot : snapshots) seconds += snapshot.costSeconds;  // NaN stays NaN: a partial sum would understate
    return seconds;
}

int64_t TimelineIndex::snapshotAtOrBefore(int64_t step) const {
    if (snapshots.empty()) return -1;
    const auto after = std::upper_bound(snapshots.begin(), snapshots.end(), step,
                                        [](int64_t value, const TimelineSnapshot& snapshot) { return value < snapshot.step; });
    return after == snapshots.begin() ? 0 : int64_t(after - snapshots.begin()) - 1;
}

TimelineFolder TimelineFolder::besideModel(const fs::path& modelFile) {
    auto folder = modelFile;
    return TimelineFolder(folder.replace_extension(".timeline"));
}

TimelineFolder TimelineFolder::ofRun(const fs::path& folderOrModel) {
    if (folderOrModel.extension() == ".timeline" || fs::exists(folderOrModel / "timeline.json")) return TimelineFolder(folderOrModel);
    return besideModel(folderOrModel);
}

fs::path TimelineFolder::mapsFile(int64_t step, const std::string& method) const {
    char name[64];
    std::snprintf(name, sizeof name, "step-%08lld.", static_cast<long long>(step));
    return m_root / (name + method + ".npy");
}

std::string TimelineFolder::runName() const { return m_root.stem().string(); }

namespace {

std::vector<float> floatsOf(const torch::Tensor& tensor) {
    const auto values = tensor.to(torch::kCPU, torch::kFloat32).contiguous();
    return {values.data_ptr<float>(), values.data_ptr<float>() + values.numel()};
}

}  // namespace

std::optional<TimelineUpdate> TimelineFolder::readNewestUpdate(const TimelineIndex& index) const {
    if (index.snapshots.empty()) return std::nullopt;
    const auto step = index.snapshots.back().step;
    for (const auto& method : index.options.methods) {
        if (!fs::exists(mapsFile(step, method))) return std::nullopt;
    }
    TimelineUpdate update;
    update.index = index;
    const auto probes = readNpy(probesFile());
    if (probes.dim() != 4 || probes.size(0) != int64_t(index.probeIndices.size())) return std::nullopt;
    update.probeChannels = probes.size(1);
    update.probePixels = floatsOf(probes);
    for (const auto& method : index.options.methods) update.maps[method] = floatsOf(readNpy(mapsFile(step, method)));
    return update;
}

bool TimelineFolder::hasIndex() const { return fs::exists(indexFile()); }

TimelineIndex TimelineFolder::readIndex() const {
    const auto file = indexFile();
    std::ifstream stream(file);
    if (!stream) {
        throw InputError(file.string(), fs::exists(m_root) ? "is missing: this folder holds no saliency timeline"
                                                           : "does not exist: no saliency timeline was recorded here");
    }
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(stream);
    } catch (const nlohmann::json::exception& error) {
        throw InputError(file.string(), std::string("is damaged (not JSON): ") + error.what());
    }
    if (!json.is_object() || json.value("format", "") != kFormat) throw InputError(file.string(), "is not a saliency timeline index");
    if (json.value("version", 0) > kVersion) {
        throw InputError(file.string(), "was written by a newer version (" + std::to_string(json.value("version", 0)) + ")");
    }
    TimelineIndex index;
    try {
        index.model = json.at("model").get<std::string>();
        index.dataset = json.at("dataset").get<std::string>();
        index.classNames = json.at("classes").get<std::vector<std::string>>();
        index.probeIndices = json.at("probe_indices").get<std::vector<int64_t>>();
        index.probeLabels = json.at("probe_labels").get<std::vector<int64_t>>();
        index.mapHeight = json.at("map_shape").at(0).get<int64_t>();
        index.mapWidth = json.at("map_shape").at(1).get<int64_t>();
        index.totalSteps = json.at("total_steps").get<int64_t>();
        index.stepsPerEpoch = json.at("steps_per_epoch").get<int64_t>();
        index.options = TimelineOptions::fromJson(json.at("options"), file.string());
        for (const auto& snapshot : json.at("snapshots")) index.snapshots.push_back(snapshotFromJson(snapshot));
    } catch (const nlohmann::json::exception& error) {
        throw InputError(file.string(), std::string("is damaged: ") + error.what());
    }
    const size_t probes = index.probeIndices.size();
    if (probes == 0 || index.probeLabels.size() != probes) throw InputError(file.string(), "is damaged: its probe lists disagree");
    for (size_t i = 0; i < index.snapshots.size(); ++i) {
        const auto& snapshot = index.snapshots[i];
        if (snapshot.predictions.size() != probes || snapshot.confidences.size() != probes) {
            throw InputError(file.string(), "is damaged: snapshot " + std::to_string(snapshot.step) + " does not cover every probe");
        }
        if (i > 0 && snapshot.step <= index.snapshots[i - 1].step)
            throw InputError(file.string(), "is damaged: its snapshots are out of order");
    }
    return index;
}

void TimelineFolder::writeIndex(const TimelineIndex& index) const {
    nlohmann::json snapshots = nlohmann::json::array();
    for (const auto& snapshot : index.snapshots) snapshots.push_back(snapshotToJson(snapshot));
    const nlohmann::json json = {{"format", kFormat},
                                 {"version", kVersion},
                                 {"model", index.model},
                                 {"dataset", index.dataset},
                                 {"classes", index.classNames},
                                 {"probe_indices", index.probeIndices},
                                 {"probe_labels", index.probeLabels},
                                 {"map_shape", {index.mapHeight, index.mapWidth}},
                                 {"total_steps", index.totalSteps},
                                 {"steps_per_epoch", index.stepsPerEpoch},
                                 {"options", index.options.toJson()},
                                 {"snapshots", snapshots}};
    fs::create_directories(m_root);
    writeTextFileAtomically(indexFile(), json.dump(1) + "\n");
}

}  // namespace sw
