#include "explain/SaliencyConfig.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "explain/SaliencyMethods.h"
#include "util/InputError.h"

namespace sw {

namespace {

bool blurBaseline(const SaliencyConfig& config) { return config.baseline == "blur"; }
/// SmoothGrad's and VarGrad's noise, or IG's uniform baseline.
bool drawsNoise(const SaliencyConfig& config) { return saliencyMethod(config.method).noiseBased || config.baseline == "uniform"; }
bool epsilonRule(const SaliencyConfig& config) { return config.lrpRule == "epsilon"; }
bool gammaRule(const SaliencyConfig& config) { return config.lrpRule == "gamma"; }

std::string optionText(const SaliencyParameter& parameter, const std::string& value) {
    return (parameter.option.empty() ? parameter.key : parameter.option) + " " + value;
}

}  // namespace

const std::vector<std::string>& lrpRuleNames() {
    static const std::vector<std::string> names = {"epsilon-plus-flat",   "epsilon", "gamma", "zplus", "alpha2-beta1",
                                                   "epsilon-alpha2-beta1"};
    return names;
}

const std::vector<SaliencyParameter>& saliencyParameters() {
    using C = SaliencyConfig;
    static const std::vector<SaliencyParameter> parameters = {
        {"absolute", "", "Magnitude of the gradient (default); --signed keeps its sign", &C::absolute},
        {"ig_steps", "--ig-steps", "Integrated Gradients: points on the path from the baseline", &C::igSteps, {}, 1},
        {"ig_rule",
         "--ig-rule",
         "Integrated Gradients: the integration rule",
         &C::igRule,
         {"gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"}},
        {"baseline",
         "--baseline",
         "Integrated Gradients: the baseline image (zero = black)",
         &C::baseline,
         {"zero", "black", "blur", "uniform"}},
        {"baseline_blur_sigma", "--baseline-sigma", "The blur baseline's sigma in pixels", &C::baselineBlurSigma, {}, 0.0, blurBaseline},
        {"sg_samples", "--sg-samples", "SmoothGrad and VarGrad: noisy copies averaged", &C::sgSamples, {}, 1},
        {"sg_sigma", "--sg-sigma", "SmoothGrad and VarGrad: noise sigma in pixel units", &C::sgSigma, {}, 0.0},
        {"seed", "", "Seed of the noise (SmoothGrad, VarGrad, the uniform baseline)", &C::seed, {}, 0.0, drawsNoise},
        {"cam_layer", "--cam-layer", "CAMs: the feature layer (saliency-cli info lists them; default: the last convolutional one)",
         &C::camLayer},
        {"cam_upsampling",
         "--cam-upsampling",
         "CAMs: how the map reaches the input size (default: bilinear; nearest for Guided Grad-CAM, as Captum)",
         &C::camUpsampling,
         {"", "bilinear", "nearest"}},
        {"occlusion_window",
         "--occlusion-window",
         "Occlusion: the square patch's side in pixels (all channels)",
         &C::occlusionWindow,
         {},
         1},
        {"occlusion_stride", "--occlusion-stride", "Occlusion: pixels between patch positions", &C::occlusionStride, {}, 1},
        {"occlusion_baseline", "--occlusion-baseline", "Occlusion: the patch's pixel value", &C::occlusionBaseline, {}, -1e300},
        {"lrp_rule", "--lrp-rule", "LRP: the composite of rules", &C::lrpRule, lrpRuleNames()},
        {"lrp_epsilon", "--lrp-epsilon", "LRP: epsilon of the epsilon rule", &C::lrpEpsilon, {}, 0.0, epsilonRule},
        {"lrp_gamma", "--lrp-gamma", "LRP: gamma of the gamma rule", &C::lrpGamma, {}, 0.0, gammaRule},
    };
    return parameters;
}

std::string camUpsamplingOf(const SaliencyConfig& config) {
    if (!config.camUpsampling.empty()) return config.camUpsampling;
    return config.method == "ggc" ? "nearest" : "bilinear";
}

void SaliencyConfig::validate() const {
    const auto& known = saliencyMethod(method);  // throws for an unknown id
    for (const auto& parameter : saliencyParameters()) {
        std::visit(
            [&](auto member) {
                const auto& value = this->*member;
                using Value = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<Value, std::string>) {
                    const auto& choices = parameter.choices;
                    if (!choices.empty() && std::find(choices.begin(), choices.end(), value) == choices.end()) {
                        std::string list;
                        for (const auto& choice : choices) {
                            if (!choice.empty()) list += (list.empty() ? "" : ", ") + choice;
                        }
                        throw InputError(optionText(parameter, value), "expected one of " + list);
                    }
                } else if constexpr (!std::is_same_v<Value, bool>) {
                    if (!(double(value) >= parameter.minimum)) {
                        char minimum[32];
                        std::snprintf(minimum, sizeof minimum, "%g", parameter.minimum);
                        throw InputError(optionText(parameter, std::to_string(value)), std::string("must be at least ") + minimum);
                    }
                }
            },
            parameter.field);
    }
    if (igRule == "riemann_trapezoid" && igSteps < 2) {
        throw InputError("--ig-steps " + std::to_string(igSteps), "the trapezoid rule needs at least 2 steps");
    }
    if (known.id == "occlusion" && occlusionStride > occlusionWindow) {
        throw InputError("--occlusion-stride " + std::to_string(occlusionStride),
                         "must not exceed the window (" + std::to_string(occlusionWindow) + "), or some pixels are never occluded");
    }
    if (heatmapReduction != "sum" && heatmapReduction != "max" && heatmapReduction != "l2") {
        throw InputError("--reduce " + heatmapReduction, "expected sum, max or l2");
    }
    if (maxBatch < 1) throw InputError("--max-batch", "must be at least 1");
}

nlohmann::json SaliencyConfig::toJson() const {
    nlohmann::json json = {{"method", method}, {"target", target}, {"heatmap_reduction", heatmapReduction}};
    const auto& uses = saliencyMethod(method).parameters;
    SaliencyConfig resolved = *this;
    resolved.camUpsampling = camUpsamplingOf(*this);
    for (const auto& parameter : saliencyParameters()) {
        if (std::find(uses.begin(), uses.end(), parameter.key) == uses.end()) continue;
        if (parameter.applies && !parameter.applies(*this)) continue;
        std::visit([&](auto member) { json[parameter.key] = resolved.*member; }, parameter.field);
    }
    return json;
}

SaliencyConfig SaliencyConfig::fromJson(const nlohmann::json& json) {
    SaliencyConfig config;
    config.method = json.value("method", config.method);
    config.target = json.value("target", config.target);
    config.heatmapReduction = json.value("heatmap_reduction", config.heatmapReduction);
    for (const auto& parameter : saliencyParameters()) {
        std::visit(
            [&](auto member) {
                auto& value = config.*member;
                value = json.value(parameter.key, value);
            },
            parameter.field);
    }
    return config;
}

bool SaliencyConfig::producesSignedMaps() const {
    if (heatmapReduction != "sum") return false;
    switch (saliencyMethod(method).sign) {
    case MapSign::NonNegative:
        return false;
    case MapSign::Signed:
        return true;
    case MapSign::SignedUnlessAbsolute:
        return !absolute;
    }
    return true;
}

std::string SaliencyConfig::displayName() const { return saliencyMethod(method).name; }

}  // namespace sw
