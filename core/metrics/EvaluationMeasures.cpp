#include "metrics/EvaluationMeasures.h"

#include "util/InputError.h"

namespace sw {

const std::vector<EvaluationMeasure>& evaluationMeasures() {
    static const std::vector<EvaluationMeasure> measures = {
        {"accuracy", "Accuracy", "accuracy", Better::Higher, true, false,
         "The share of test images the model classifies correctly (higher is better)."},
        {"robust_accuracy", "Robust accuracy", "robust accuracy", Better::Higher, false, false,
         "Accuracy under a PGD attack within the model's training budget ε (0.1 for natural models) in the L∞ "
         "norm (higher is better)."},
        {"sparseness", "Sparseness (Gini)", "Gini index", Better::Higher, true, false,
         "The Gini index of the map's absolute values: 1 when one pixel holds all the attribution, 0 when all "
         "pixels hold the same (higher = sparser, easier to read)."},
        {"ris", "RIS", "RIS (relative input stability)", Better::Lower, true, true,
         "Relative Input Stability: how much the map changes relative to a small change of the input, worst case "
         "over perturbations (lower = more stable)."},
        {"ros", "ROS", "ROS (relative output stability)", Better::Lower, true, true,
         "Relative Output Stability: how much the map changes relative to the change of the logits, worst case "
         "over perturbations (lower = more stable)."},
        {"ssim", "SSIM", "SSIM(clean map, noisy map)", Better::Higher, true, true,
         "Structural similarity between the maps of a clean and a noisy input, per noise level (higher = more "
         "stable)."},
        {"topk", "Top-k overlap", "top-10% overlap", Better::Higher, false, true,
         "The share of the clean map's 10 % most relevant pixels that stay in the noisy map's top 10 % (higher = "
         "more stable)."},
        {"spearman", "Rank correlation", "Spearman rank correlation", Better::Higher, false, true,
         "Spearman's rank correlation between the clean and the noisy map (higher = more stable)."},
        {"road", "ROAD (AOPC)", "ROAD accuracy", Better::Higher, false, false,
         "Remove And Debias: accuracy as the most (MoRF) or least (LeRF) relevant pixels are imputed away; its "
         "area over the curve (AOPC) is higher-better for MoRF and lower-better for LeRF."},
        {"curvature", "Local curvature", "gradient change per unit input change (radius 0.01)", Better::Lower, false, false,
         "How much the gradient of the explained logit changes under a random input change of size 0.01, per unit "
         "of that change; for ReLU networks mostly gradient jumps, so compare it only at the same radius (lower = "
         "smoother)."},
        {"hessian", "Hessian curvature", "largest Hessian eigenvalue (softplus surrogate)", Better::Lower, false, false,
         "The largest eigenvalue in magnitude of the input Hessian of the explained logit, with ReLU replaced by a "
         "sharp softplus so that the Hessian exists (Dombrowski et al. 2019); native models only (lower = smoother)."},
        {"localisation", "Localisation", "energy in mask", Better::Higher, false, false,
         "On the shapes set: the share of attribution inside the object's mask, and whether the map's peak lies "
         "in it (higher is better)."},
    };
    return measures;
}

const EvaluationMeasure& evaluationMeasure(const std::string& id, const std::string& option) {
    for (const auto& measure : evaluationMeasures()) {
        if (measure.id == id) return measure;
    }
    throw InputError(option + " " + id, "unknown measure; expected " + evaluationMeasureIdList());
}

std::string evaluationMeasureIdList(bool onlyAgainstNoise) {
    std::vector<std::string> ids;
    for (const auto& measure : evaluationMeasures()) {
        if (!onlyAgainstNoise || measure.againstNoise) ids.push_back(measure.id);
    }
    std::string list;
    for (size_t i = 0; i < ids.size(); ++i) list += (i == 0 ? "" : i + 1 == ids.size() ? " or " : ", ") + ids[i];
    return list;
}

std::vector<std::string> defaultProtocolMeasures() {
    std::vector<std::string> ids;
    for (const auto& measure : evaluationMeasures()) {
        if (measure.inDefaultProtocol) ids.push_back(measure.id);
    }
    return ids;
}

MeasureSet::MeasureSet(const std::vector<std::string>& ids, const std::string& option) {
    for (const auto& id : ids) m_ids.insert(evaluationMeasure(id, option).id);
}

bool MeasureSet::hasAny(std::initializer_list<const char*> ids) const {
    for (const char* id : ids) {
        if (has(id)) return true;
    }
    return false;
}

}  // namespace sw
