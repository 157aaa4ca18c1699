#include "explain/SaliencyConfig.h"

#include <algorithm>

#include "explain/SaliencyMethods.h"
#include "util/InputError.h"

namespace sw {

void SaliencyConfig::validate() const {
    saliencyMethod(method);  // throws for an unknown id
    if (igRule != "gausslegendre" && igRule != "riemann_left" && igRule != "riemann_right" && igRule != "riemann_middle" &&
        igRule != "riemann_trapezoid") {
        throw InputError("--ig-rule " + igRule, "expected gausslegendre, riemann_left, riemann_right, riemann_middle or riemann_trapezoid");
    }
    if (igSteps < 1 || (igRule == "riemann_trapezoid" && igSteps < 2)) {
        throw InputError("--ig-steps " + std::to_string(igSteps), "needs at least 1 step (2 for the trapezoid rule)");
    }
    if (baseline != "zero" && baseline != "black" && baseline != "blur" && baseline != "uniform") {
        throw InputError("--baseline " + baseline, "expected zero, black, blur or uniform");
    }
    if (sgSamples < 1) throw InputError("--sg-samples " + std::to_string(sgSamples), "needs at least one sample");
    if (!(sgSigma >= 0.0)) throw InputError("--sg-sigma", "σ must not be negative");
    if (heatmapReduction != "sum" && heatmapReduction != "max" && heatmapReduction != "l2") {
        throw InputError("--reduce " + heatmapReduction, "expected sum, max or l2");
    }
    if (maxBatch < 1) throw InputError("--max-batch", "must be at least 1");
}

nlohmann::json SaliencyConfig::toJson() const {
    nlohmann::json json = {{"method", method}, {"target", target}, {"heatmap_reduction", heatmapReduction}};
    // Only the parameters the method uses (saliencyMethods()), so two files that computed the same differ in nothing.
    const auto uses = [this](const std::string& parameter) {
        for (const auto& known : saliencyMethods()) {
            if (known.id == method) return std::find(known.parameters.begin(), known.parameters.end(), parameter) != known.parameters.end();
        }
        return false;
    };
    if (uses("absolute")) json["absolute"] = absolute;
    if (uses("ig_steps")) json["ig_steps"] = igSteps;
    if (uses("ig_rule")) json["ig_rule"] = igRule;
    if (uses("baseline")) json["baseline"] = baseline;
    if (uses("baseline") && baseline == "blur") json["baseline_blur_sigma"] = baselineBlurSigma;
    if (uses("sg_samples")) json["sg_samples"] = sgSamples;
    if (uses("sg_sigma")) json["sg_sigma"] = sgSigma;
    if (uses("seed") || (uses("baseline") && baseline == "uniform")) json["seed"] = seed;
    return json;
}

SaliencyConfig SaliencyConfig::fromJson(const nlohmann::json& json) {
    SaliencyConfig config;
    config.method = json.value("method", config.method);
    config.absolute = json.value("absolute", config.absolute);
    config.igSteps = json.value("ig_steps", config.igSteps);
    config.igRule = json.value("ig_rule", config.igRule);
    config.baseline = json.value("baseline", config.baseline);
    config.baselineBlurSigma = json.value("baseline_blur_sigma", config.baselineBlurSigma);
    config.sgSamples = json.value("sg_samples", config.sgSamples);
    config.sgSigma = json.value("sg_sigma", config.sgSigma);
    config.target = json.value("target", config.target);
    config.heatmapReduction = json.value("heatmap_reduction", config.heatmapReduction);
    config.seed = json.value("seed", config.seed);
    return config;
}

bool SaliencyConfig::producesSignedMaps() const {
    if (heatmapReduction != "sum") return false;
    if (method == "ig" || method == "gxi") return true;
    if (method == "vargrad") return false;
    return !absolute;
}

std::string SaliencyConfig::displayName() const { return saliencyMethod(method).name; }

}  // namespace sw
