#include "explain/SaliencyMethods.h"

#include "explain/CamMethods.h"
#include "explain/GradientMethods.h"
#include "explain/OcclusionMethod.h"
#include "explain/RelevanceMethods.h"
#include "explain/ReluRuleMethods.h"
#include "util/InputError.h"

namespace sw {

namespace {

int64_t integrationSteps(const SaliencyConfig& config, int64_t, int64_t) { return config.igSteps; }
int64_t noisySamples(const SaliencyConfig& config, int64_t, int64_t) { return config.sgSamples; }

/// How RIS and ROS treat every method that is not an input gradient: they compare the maps of the clean and the
/// perturbed inputs (Quantus' definitions need no derivative of the map), so nothing changes but what a map is.

const char* const kMapOfPerturbedInputs =
    "RIS and ROS compare this method's maps of the clean and the noisy inputs, as for every method; no derivative of "
    "the map is taken.";

}  // namespace

const std::vector<SaliencyMethod>& saliencyMethods() {
    static const std::vector<SaliencyMethod> methods = {
        {"vg",
         "VG",
         "Vanilla Gradient",
         "gradient",
         MapSign::SignedUnlessAbsolute,
         0,
         false,
         true,
         {"absolute"},
         "How much the class score changes when each pixel changes a little: the gradient ∂f/∂x (its magnitude, unless "
         "signed). It is the rawest map, and shows how noisy a model's gradient is.",
         "Captum 0.9 Saliency (abs=True by default)",
         "",
         describeVanillaGradient,
         attributeVanillaGradient},
        {"ig",
         "IG",
         "Integrated Gradients",
         "gradient",
         MapSign::Signed,
         0,
         false,
         true,
         {"ig_steps", "ig_rule", "baseline", "baseline_blur_sigma", "seed"},
         "The gradient averaged along the straight path from a baseline image to the input, times the difference. The "
         "attributions add up to the change in the class score, so they can be read as shares of it.",
         "Captum 0.9 IntegratedGradients",
         "",
         describeIntegratedGradients,
         attributeIntegratedGradients,
         integrationSteps},
        {"sg",
         "SmoothGrad",
         "SmoothGrad",
         "gradient",
         MapSign::SignedUnlessAbsolute,
         0,
         true,
         true,
         {"absolute", "sg_samples", "sg_sigma", "seed"},
         "The gradient averaged over noisy copies of the input. Averaging washes out the gradient's pixel-to-pixel noise.",
         "Captum 0.9 NoiseTunnel(Saliency), nt_type smoothgrad",
         "",
         describeNoiseTunnel,
         attributeSmoothGrad,
         noisySamples},
        {"gxi",
         "Grad×Input",
         "Gradient × Input",
         "gradient",
         MapSign::Signed,
         0,
         false,
         false,
         {},
         "The gradient times the pixel values. It is large where a bright pixel matters, and zero on black pixels.",
         "Captum 0.9 InputXGradient",
         "",
         describeGradientTimesInput,
         attributeGradientTimesInput},
        {"vargrad",
         "VarGrad",
         "VarGrad",
         "gradient",
         MapSign::NonNegative,
         0,
         true,
         false,
         {"absolute", "sg_samples", "sg_sigma", "seed"},
         "The variance of the (absolute) gradient over noisy copies of the input. It shows where the explanation is unsure, "
         "not where the evidence is.",
         "Captum 0.9 NoiseTunnel(Saliency), nt_type vargrad",
         "",
         describeNoiseTunnel,
         attributeVarGrad,
         noisySamples},
        {"gbp",
         "Guided BP",
         "Guided Backpropagation",
         "gradient",
         MapSign::Signed,
         kNeedsReluRules,
         false,
         false,
         {},
         "The gradient, except that each ReLU lets only positive gradients back. The maps look sharp and edge-like, "
         "partly because they depend little on the class.",
         "Captum 0.9 GuidedBackprop, with every ReLU guided",
         "",
         describeGuidedBackprop,
         attributeGuidedBackprop},
        {"gradcam",
         "Grad-CAM",
         "Grad-CAM",
         "cam",
         MapSign::NonNegative,
         kNeedsFeatureLayer,
         false,
         false,
         {"cam_layer", "cam_upsampling"},
         "A late layer's feature maps, weighted by how much the class score grows with each, then enlarged to the image. "
         "It shows coarse regions, not pixels, at the resolution of that layer.",
         "pytorch-grad-cam 1.5.7 GradCAM",
         kMapOfPerturbedInputs,
         describeCam,
         attributeGradCam},
        {"gradcampp",
         "Grad-CAM++",
         "Grad-CAM++",
         "cam",
         MapSign::NonNegative,
         kNeedsFeatureLayer,
         false,
         false,
         {"cam_layer", "cam_upsampling"},
         "Grad-CAM with each feature map's weight built from positive gradients only, position by position. It covers "
         "several instances of a class better than Grad-CAM.",
         "pytorch-grad-cam 1.5.7 GradCAMPlusPlus",
         kMapOfPerturbedInputs,
         describeCam,
         attributeGradCamPlusPlus},
        {"hirescam",
         "HiResCAM",
         "HiResCAM",
         "cam",
         MapSign::NonNegative,
         kNeedsFeatureLayer,
         false,
         false,
         {"cam_layer", "cam_upsampling"},
         "Each feature map times its gradient, position by position, summed. Unlike Grad-CAM it shows only places that "
         "raise the score at that layer.",
         "pytorch-grad-cam 1.5.7 HiResCAM",
         kMapOfPerturbedInputs,
         describeCam,
         attributeHiResCam},
        {"layercam",
         "LayerCAM",
         "LayerCAM",
         "cam",
         MapSign::NonNegative,
         kNeedsFeatureLayer,
         false,
         false,
         {"cam_layer", "cam_upsampling"},
         "Each feature map times its positive gradient, position by position, summed. It works at earlier layers too, "
         "where maps are finer.",
         "pytorch-grad-cam 1.5.7 LayerCAM",
         kMapOfPerturbedInputs,
         describeCam,
         attributeLayerCam},
        {"ggc",
         "Guided Grad-CAM",
         "Guided Grad-CAM",
         "cam",
         MapSign::Signed,
         kNeedsFeatureLayer | kNeedsReluRules,
         false,
         false,
         {"cam_layer", "cam_upsampling"},
         "Guided Backprop's fine map multiplied by Grad-CAM's coarse one. It keeps fine detail only inside the class's region.",
         "Captum 0.9 GuidedGradCam",
         kMapOfPerturbedInputs,
         describeCam,
         attributeGuidedGradCam},
        {"occlusion",
         "Occlusion",
         "Occlusion",
         "perturbation",
         MapSign::Signed,
         0,
         false,
         false,
         {"occlusion_window", "occlusion_stride", "occlusion_baseline"},
         "How much the class score drops when a small patch of the image is blacked out, patch by patch. It needs one "
         "pass through the model per patch, so it is slow, but it measures the model's use of a region directly.",
         "Captum 0.9 Occlusion",
         kMapOfPerturbedInputs,
         describeOcclusion,
         attributeOcclusion,
         occlusionPassesPerImage},
        {"deeplift",
         "DeepLIFT",
         "DeepLIFT (rescale rule)",
         "relevance",
         MapSign::Signed,
         kNeedsReluRules,
         false,
         false,
         {},
         "How each pixel's difference from a black image contributes to the score's difference, passed back through each "
         "ReLU in proportion to its change. The contributions add up to that difference.",
         "Captum 0.9 DeepLift (rescale, zero baseline), every ReLU rescaled",
         "",
         describeDeepLift,
         attributeDeepLift},
        {"lrp",
         "LRP",
         "Layer-wise Relevance Propagation",
         "relevance",
         MapSign::Signed,
         kNeedsNativeLayers,
         false,
         false,
         {"lrp_rule", "lrp_epsilon", "lrp_gamma"},
         "The class score handed back layer by layer, each layer sharing it among its inputs by their contributions. The "
         "rules decide how positive and negative evidence is shared.",
         "Zennit 0.5.1 Gradient with the composite (default EpsilonPlusFlat)",
         kMapOfPerturbedInputs,
         describeLrp,
         attributeLrp},
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

std::string describeSaliencyMethod(const SaliencyConfig& config) { return saliencyMethod(config.method).describe(config); }

std::string describeCost(const SaliencyConfig& config, int64_t images, int64_t height, int64_t width) {
    const auto& method = saliencyMethod(config.method);
    if (!method.passesPerImage) return "";
    const auto perImage = method.passesPerImage(config, height, width);
    return std::to_string(perImage) + " forward passes per image, " + std::to_string(perImage * images) + " in all";
}

std::string describeModelNeeds(unsigned needs) {
    if (needs & kNeedsNativeLayers) return "a model built by this program (its layers' rules)";
    std::string text;
    if (needs & kNeedsFeatureLayer) text = "a feature layer";
    if (needs & kNeedsReluRules) text += std::string(text.empty() ? "" : " and ") + "ReLUs that can be replaced";
    return text.empty() ? "any model" : text;
}

}  // namespace sw
