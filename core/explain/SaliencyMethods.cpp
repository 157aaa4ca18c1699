#include "explain/SaliencyMethods.h"

#include <cstdio>

#include "util/InputError.h"

namespace sw {

const std::vector<SaliencyMethod>& saliencyMethods() {
    static const std::vector<SaliencyMethod> methods = {
        {"vg",
         "VG",
         "Vanilla Gradient",
         true,
         false,
         true,
         {"absolute"},
         "How much the class score changes when each pixel changes a little: the gradient ∂f/∂x (its magnitude, "
         "unless signed)."},
        {"ig",
         "IG",
         "Integrated Gradients",
         true,
         false,
         true,
         {"ig_steps", "ig_rule", "baseline"},
         "The gradient averaged along the straight path from a baseline image to the input, times the difference: "
         "the attributions add up to the change in the class score."},
        {"sg",
         "SmoothGrad",
         "SmoothGrad",
         true,
         true,
         true,
         {"absolute", "sg_samples", "sg_sigma", "seed"},
         "The gradient averaged over noisy copies of the input, which washes out the gradient's pixel-to-pixel noise."},
        {"gxi",
         "Grad×Input",
         "Gradient × Input",
         true,
         false,
         false,
         {},
         "The gradient times the pixel values: large where a bright pixel matters."},
        {"vargrad",
         "VarGrad",
         "VarGrad",
         false,
         true,
         false,
         {"sg_samples", "sg_sigma", "seed"},
         "The variance of the gradient over noisy copies of the input: where the explanation is unsure."},
    };
    return methods;
}

const std::vector<std::pair<std::string, std::string>>& saliencyMethodFamilies() {
    static const std::vector<std::pair<std::string, std::string>> families = {{"gradient", "Gradient"},
                                                                              {"cam", "Class activation (CAM)"},
                                                                              {"relevance", "Relevance (LRP, DeepLIFT)"},
                                                                              {"perturbation", "Perturbation"}};
    return families;
}

const SaliencyMethod& saliencyMethod(const std::string& id) {
    for (const auto& method : saliencyMethods()) {
        if (method.id == id) return method;
    }
    throw InputError("--method " + id, "expected " + saliencyMethodIdList());
}

std::string saliencyMethodIdList() {
    std::string list;
    const auto& methods = saliencyMethods();
    for (size_t i = 0; i < methods.size(); ++i) {
        list += (i == 0 ? "" : i + 1 == methods.size() ? " or " : ", ") + methods[i].id;
    }
    return list;
}

std::string describeSaliencyMethod(const SaliencyConfig& config) {
    const auto& method = saliencyMethod(config.method);
    char text[256];
    if (config.method == "ig") {
        const std::string rule = config.igRule == "gausslegendre" ? "Gauss–Legendre" : config.igRule;
        const std::string baseline = config.baseline == "zero" || config.baseline == "black" ? "a black" : "a " + config.baseline;
        std::snprintf(text, sizeof text, "%s: %lld %s steps from %s baseline", method.fullName.c_str(),
                      static_cast<long long>(config.igSteps), rule.c_str(), baseline.c_str());
    } else if (method.noiseBased) {
        std::snprintf(text, sizeof text, "%s: %s of %lld noisy gradients, noise N(0, %g²) in pixel units", method.fullName.c_str(),
                      config.method == "vargrad" ? "variance" : "mean", static_cast<long long>(config.sgSamples), config.sgSigma);
    } else if (config.method == "vg") {
        std::snprintf(text, sizeof text, "%s: %s", method.fullName.c_str(), config.absolute ? "|∂f/∂x|" : "∂f/∂x");
    } else {
        std::snprintf(text, sizeof text, "%s: x · ∂f/∂x", method.fullName.c_str());
    }
    return text;
}

}  // namespace sw
