#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "explain/SaliencyConfig.h"

namespace sw {

struct AttributionTask;  // explain/AttributionTask.h: the model, the pixels, the targets, the result

/// Whether a method's maps can be negative.
enum class MapSign {
    NonNegative,           ///< VarGrad, the CAMs
    Signed,                ///< IG, Gradient × Input, Guided Backprop, Occlusion, DeepLIFT, LRP
    SignedUnlessAbsolute,  ///< VG and SmoothGrad: |·| by default, signed with --signed
};

/// What a method needs of a model beyond its logits and their input gradient (bits of SaliencyMethod::needs).
enum ModelNeed : unsigned {
    kNeedsFeatureLayer = 1,  ///< a named feature layer's output (CAMs): any native model, TorchScript by module path
    kNeedsReluRules = 2,     ///< its ReLUs' backward replaced (Guided Backprop, DeepLIFT): native, or TorchScript with aten::relu
    kNeedsNativeLayers = 4,  ///< every layer's backward replaced (LRP): native models only
};

/// One saliency method: everything every face shows of it and the function that computes it. Adding a method
/// is a row here plus its own code (docs/ARCHITECTURE.md, "Adding a method"). Plain data: safe for the UI.
struct SaliencyMethod {
    std::string id;        ///< what --method and the JSON say: vg, ig, gradcam, lrp, …
    std::string name;      ///< short display name: "VG", "Grad-CAM", …
    std::string fullName;  ///< "Vanilla Gradient", "Gradient-weighted Class Activation Mapping", …
    std::string family;    ///< gradient, cam, relevance or perturbation: how pickers group methods
    MapSign sign = MapSign::Signed;
    unsigned needs = 0;                   ///< ModelNeed bits
    bool noiseBased = false;              ///< averages over noisy copies (seeded by SaliencyConfig::seed)
    bool shownByDefault = false;          ///< checked in a new compare grid
    std::vector<std::string> parameters;  ///< the saliencyParameters() keys it reads
    std::string explanation;              ///< two plain sentences for a class: what it computes, what it shows
    std::string reference;                ///< the library and call it equals (docs/METRICS.md)
    std::string stabilityNote;            ///< for a method that is no input gradient: how RIS and ROS see it
    /// One line with the method's parameters as `config` sets them, for tooltips and figure captions.
    std::string (*describe)(const SaliencyConfig& config) = nullptr;
    /// Computes the task's attributions (explain/AttributionTask.h).
    void (*attribute)(AttributionTask& task) = nullptr;
    /// Forward passes per image of height × width pixels, for a method that needs many (nullptr: one or two).
    int64_t (*passesPerImage)(const SaliencyConfig& config, int64_t height, int64_t width) = nullptr;
};

/// The families of saliencyMethods(), in the order pickers show them, with their display names.
const std::vector<std::pair<std::string, std::string>>& saliencyMethodFamilies();

/// Every method, in the order the panels list them.
const std::vector<SaliencyMethod>& saliencyMethods();

/// The method with this id; throws InputError naming `--method ID` and listing the known ids.
const SaliencyMethod& saliencyMethod(const std::string& id);

/// "vg, ig, sg, … or lrp" (for help texts and error messages).
std::string saliencyMethodIdList();

/// One line with the method's parameters as `config` sets them, e.g. "Integrated Gradients: 50
/// Gauss–Legendre steps from a black baseline" — tooltips and figure captions use it, so they never
/// disagree with what was computed.
std::string describeSaliencyMethod(const SaliencyConfig& config);

/// "82 forward passes per image, 820 in all" for a method with passesPerImage; empty for the cheap ones. Said before
/// a long computation starts.
std::string describeCost(const SaliencyConfig& config, int64_t images, int64_t height, int64_t width);

/// What `needs` asks of a model, in words: "a named feature layer", "a native model", …
std::string describeModelNeeds(unsigned needs);

}  // namespace sw
