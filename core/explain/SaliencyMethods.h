#pragma once

#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"

namespace sw {

/// One saliency method as every face shows it: the explainer validates against this table, the CLI help,
/// the compare and stability panels and their tooltips read it. Plain data: safe for the UI.
struct SaliencyMethod {
    std::string id;                       ///< what --method and the JSON say: vg, ig, sg, vargrad, gxi
    std::string name;                     ///< short display name: "VG", "IG", "SmoothGrad", …
    std::string fullName;                 ///< "Vanilla Gradient", "Integrated Gradients", …
    bool canBeSigned = false;             ///< maps may be negative (always for IG and Grad×Input; VG/SmoothGrad with --signed)
    bool noiseBased = false;              ///< averages over noisy copies (seeded by SaliencyConfig::seed)
    bool shownByDefault = false;          ///< checked in a new compare grid
    std::vector<std::string> parameters;  ///< its SaliencyConfig fields, as named in the JSON (ig_steps, sg_sigma, …)
    std::string explanation;              ///< one plain-language sentence: what it computes
    std::string family = "gradient";      ///< gradient, cam, relevance or perturbation: how pickers group methods
};

/// The families of saliencyMethods(), in the order pickers show them, with their display names.
const std::vector<std::pair<std::string, std::string>>& saliencyMethodFamilies();

/// The five methods, in the order the panels list them.
const std::vector<SaliencyMethod>& saliencyMethods();

/// The method with this id; throws InputError naming `--method ID` and listing the known ids.
const SaliencyMethod& saliencyMethod(const std::string& id);

/// "vg, ig, sg, vargrad or gxi" (for help texts and error messages).
std::string saliencyMethodIdList();

/// One line with the method's parameters as `config` sets them, e.g. "Integrated Gradients: 50
/// Gauss–Legendre steps from a black baseline" — tooltips and figure captions use it, so they never
/// disagree with what was computed.
std::string describeSaliencyMethod(const SaliencyConfig& config);

}  // namespace sw
