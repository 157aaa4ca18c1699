#include "explain/SaliencyConfig.h"

#include "util/InputError.h"

namespace sw {

void SaliencyConfig::validate() const {
    if (method != "vg" && method != "ig" && method != "sg" && method != "vargrad" && method != "gxi") {
        throw InputError("--method " + method, "expected vg, ig, sg, vargrad or gxi");
    }
    if (igRule != "gausslegendre" && igRule != "riemann_left" && igRule != "riemann_right" &&
        igRule != "riemann_middle" && igRule != "riemann_trapezoid") {
        throw InputError("--ig-rule " + igRule,
                         "expected gausslegendre, riemann_left, riemann_right, riemann_middle or riemann_trapezoid");
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
    if (method == "vg" || method == "sg" || method == "vargrad") json["absolute"] = absolute;
    if (method == "ig") {
        json["ig_steps"] = igSteps;
        json["ig_rule"] = igRule;
        json["baseline"] = baseline;
        if (baseline == "blur") json["baseline_blur_sigma"] = baselineBlurSigma;
    }
    if (method == "sg" || method == "vargrad") {
        json["sg_samples"] = sgSamples;
        json["sg_sigma"] = sgSigma;
    }
    if (method == "sg" || method == "vargrad" || baseline == "uniform") json["seed"] = seed;
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

std::string SaliencyConfig::displayName() const {
    if (method == "vg") return "VG";
    if (method == "ig") return "IG";
    if (method == "sg") return "SmoothGrad";
    if (method == "vargrad") return "VarGrad";
    return "Grad\u00D7Input";
}

}  // namespace sw
