#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace sw {

/// Which saliency method and how, with the reference libraries' definitions and defaults (docs/METRICS.md).
/// Plain data: safe for the UI. Each field a method reads is a row of saliencyParameters(), which the JSON
/// files, the CLI options and the method table (explain/SaliencyMethods.h) take their names from.
struct SaliencyConfig {
    std::string method = "vg";  ///< an id of explain/SaliencyMethods.h's table
    bool absolute = true;       ///< vg/sg/vargrad: |∂f/∂x| (Captum's Saliency abs=True); false = signed
    int64_t igSteps = 50;
    std::string igRule = "gausslegendre";       ///< gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid
    std::string baseline = "zero";              ///< zero (= black: pixels 0), blur (Gaussian-blurred input) or uniform (U(0,1) noise)
    double baselineBlurSigma = 5.0;             ///< pixels, for the blur baseline
    int64_t sgSamples = 25;                     ///< sg and vargrad
    double sgSigma = 0.15;                      ///< pixel units
    std::string camLayer;                       ///< CAMs: a feature layer of the model; empty = its last convolutional one
    std::string camUpsampling;                  ///< CAMs: bilinear or nearest; empty = the reference's (camUpsamplingOf)
    int64_t occlusionWindow = 5;                ///< pixels, a square over all channels
    int64_t occlusionStride = 3;                ///< pixels
    double occlusionBaseline = 0.0;             ///< the occluding patch's pixel value
    std::string lrpRule = "epsilon-plus-flat";  ///< a composite of lrpRuleNames()
    double lrpEpsilon = 0.25;                   ///< the ε of the epsilon rule
    double lrpGamma = 0.25;                     ///< the γ of the gamma rule
    std::string target = "pred";                ///< pred, label, or a class index ("3")
    std::string heatmapReduction = "sum";       ///< how channels become the 2-D heatmap: sum, max (of |a|) or l2
    int64_t maxBatch = 512;                     ///< inputs per forward/backward pass; bounds memory for IG and SmoothGrad
    uint64_t seed = 0;                          ///< noise for sg/vargrad and the uniform baseline

    /// Throws InputError naming the offending option.
    void validate() const;
    /// The method, target, reduction and the parameters the method uses (only those), with defaults that depend
    /// on the method resolved: two files that computed the same differ in nothing.
    nlohmann::json toJson() const;
    static SaliencyConfig fromJson(const nlohmann::json& json);
    /// True when heatmaps can be negative: the method's MapSign, summed over channels.
    bool producesSignedMaps() const;
    /// "VG", "IG", "SmoothGrad", "Grad-CAM", …: the method table's short name.
    std::string displayName() const;
};

/// How a CAM is brought to the input's size: `config.camUpsampling`, or the reference library's choice for the
/// method (bilinear as pytorch-grad-cam's cv2.resize, nearest as Captum's GuidedGradCam).
std::string camUpsamplingOf(const SaliencyConfig& config);

/// The LRP composites: epsilon-plus-flat (Zennit's EpsilonPlusFlat), epsilon, gamma, zplus, alpha2-beta1,
/// epsilon-alpha2-beta1 (Zennit's EpsilonAlpha2Beta1).
const std::vector<std::string>& lrpRuleNames();

/// One field of SaliencyConfig that a method reads: how the JSON, the CLI and the help name it.
struct SaliencyParameter {
    using Field = std::variant<bool SaliencyConfig::*, int64_t SaliencyConfig::*, uint64_t SaliencyConfig::*, double SaliencyConfig::*,
                               std::string SaliencyConfig::*>;
    std::string key;     ///< JSON key: "ig_steps"
    std::string option;  ///< CLI option: "--ig-steps"; empty where the CLI sets it another way (--signed sets absolute)
    std::string help;
    Field field;
    std::vector<std::string> choices;  ///< a text parameter's accepted values; empty: any
    double minimum = 0.0;              ///< a number's least accepted value
    /// Recorded in JSON only when this holds (nullptr: whenever the method lists the parameter).
    bool (*applies)(const SaliencyConfig&) = nullptr;
};

/// Every method parameter, in the order the help lists them.
const std::vector<SaliencyParameter>& saliencyParameters();

}  // namespace sw
