#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace sw {

/// Which saliency method and how, with Captum's definitions and defaults. Plain data: safe for the UI.
struct SaliencyConfig {
    std::string method = "vg";  ///< vg, ig, sg (SmoothGrad), vargrad, gxi (gradient × input)
    bool absolute = true;       ///< vg/sg/vargrad: |∂f/∂x| (Captum's Saliency abs=True); false = signed
    int64_t igSteps = 50;
    std::string igRule = "gausslegendre";  ///< gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid
    std::string baseline = "zero";         ///< zero (= black: pixels 0), blur (Gaussian-blurred input) or uniform (U(0,1) noise)
    double baselineBlurSigma = 5.0;        ///< pixels, for the blur baseline
    int64_t sgSamples = 25;                ///< sg and vargrad
    double sgSigma = 0.15;                 ///< pixel units
    std::string target = "pred";           ///< pred, label, or a class index ("3")
    std::string heatmapReduction = "sum";  ///< how channels become the 2-D heatmap: sum, max (of |a|) or l2
    int64_t maxBatch = 512;                ///< inputs per forward/backward pass; bounds memory for IG and SmoothGrad
    uint64_t seed = 0;                     ///< noise for sg/vargrad and the uniform baseline

    /// Throws InputError naming the offending option.
    void validate() const;
    nlohmann::json toJson() const;
    static SaliencyConfig fromJson(const nlohmann::json& json);
    /// True when heatmaps can be negative (IG, Grad×Input, signed VG/SmoothGrad summed over channels).
    bool producesSignedMaps() const;
    /// "VG", "IG", "SmoothGrad", "VarGrad", "Grad×Input".
    std::string displayName() const;
};

}  // namespace sw
