#include "timeline/TimelineOptions.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "explain/SaliencyMethods.h"
#include "util/InputError.h"
#include "util/ListParsing.h"

namespace sw {

void TimelineOptions::validate() const {
    if (methods.empty()) throw InputError("--timeline-methods", "give at least one method");
    std::set<std::string> seen;
    for (const auto& method : methods) {
        if (!seen.insert(method).second) throw InputError("--timeline-methods " + joinCommaList(methods), method + " is listed twice");
    }
    for (const auto& method : methods) {
        const auto& known = saliencyMethods();
        if (std::none_of(known.begin(), known.end(), [&](const SaliencyMethod& row) { return row.id == method; })) {
            throw InputError("--timeline-methods " + joinCommaList(methods), method + " is no method; expected " + saliencyMethodIdList());
        }
    }
    for (const auto& config : methodConfigs()) config.validate();
    if (probeCount < 1) throw InputError("--timeline-probe-count " + std::to_string(probeCount), "must be at least 1");
    for (const auto index : probeIndices) {
        if (index < 0) throw InputError("--timeline-probes " + std::to_string(index), "a test image index must be 0 or more");
    }
    if (snapshots < 2) throw InputError("--timeline-snapshots " + std::to_string(snapshots), "must be at least 2");
    if (everySteps < 0) throw InputError("--timeline-every " + std::to_string(everySteps), "must be 0 (log spacing) or more");
    if (heldOutCount < 1) throw InputError("--timeline-held-out " + std::to_string(heldOutCount), "must be at least 1");
    if (!(noiseSigma > 0.0)) throw InputError("--timeline-noise", "the noise σ must be above 0");
    if (stabilitySamples < 1) throw InputError("--timeline-stability-samples", "must be at least 1");
}

std::vector<SaliencyConfig> TimelineOptions::methodConfigs() const {
    std::vector<SaliencyConfig> configs;
    for (const auto& method : methods) {
        SaliencyConfig config;
        config.method = method;
        config.target = "label";
        config.igSteps = igSteps;
        config.seed = seed;
        configs.push_back(config);
    }
    return configs;
}

nlohmann::json TimelineOptions::toJson() const {
    return {{"probe_indices", probeIndices},
            {"probe_count", probeCount},
            {"methods", methods},
            {"ig_steps", igSteps},
            {"snapshots", snapshots},
            {"every_steps", everySteps},
            {"held_out_count", heldOutCount},
            {"noise_sigma", noiseSigma},
            {"stability_samples", stabilitySamples},
            {"seed", seed}};
}

TimelineOptions TimelineOptions::fromJson(const nlohmann::json& json, const std::string& source) {
    TimelineOptions options;
    try {
        options.enabled = true;
        options.probeIndices = json.value("probe_indices", options.probeIndices);
        options.probeCount = json.value("probe_count", options.probeCount);
        options.methods = json.value("methods", options.methods);
        options.igSteps = json.value("ig_steps", options.igSteps);
        options.snapshots = json.value("snapshots", options.snapshots);
        options.everySteps = json.value("every_steps", options.everySteps);
        options.heldOutCount = json.value("held_out_count", options.heldOutCount);
        options.noiseSigma = json.value("noise_sigma", options.noiseSigma);
        options.stabilitySamples = json.value("stability_samples", options.stabilitySamples);
        options.seed = json.value("seed", options.seed);
    } catch (const nlohmann::json::exception& error) {
        throw InputError(source, std::string("the timeline options are damaged: ") + error.what());
    }
    return options;
}

std::vector<int64_t> timelineSchedule(const TimelineOptions& options, int64_t totalSteps, int64_t stepsPerEpoch) {
    std::set<int64_t> steps{0};
    if (totalSteps <= 0) return {0};
    if (options.everySteps > 0) {
        for (int64_t step = options.everySteps; step < totalSteps; step += options.everySteps) steps.insert(step);
    } else {
        // Early steps change the maps most, so the snapshots crowd there: geometric spacing from 1 to the end.
        const int64_t count = options.snapshots;
        for (int64_t k = 0; k < count; ++k) {
            const double exponent = double(k) / double(count - 1);
            steps.insert(std::clamp<int64_t>(std::llround(std::pow(double(totalSteps), exponent)), 1, totalSteps));
        }
    }
    if (stepsPerEpoch > 0) {
        for (int64_t step = stepsPerEpoch; step < totalSteps; step += stepsPerEpoch) steps.insert(step);
    }
    steps.insert(totalSteps);
    return {steps.begin(), steps.end()};
}

}  // namespace sw
