#include "SaliencyOptions.h"

#include "CommandLineParsing.h"
#include "explain/SaliencyMethods.h"
#include "util/InputError.h"

namespace sw::cli {

void addSaliencyOptions(CLI::App& command, SaliencyConfig& config, bool& signedMaps) {
    std::string methods;
    for (const auto& method : saliencyMethods()) methods += (methods.empty() ? "" : ", ") + method.id + " (" + method.fullName + ")";
    command.add_option("--method", config.method, methods)->capture_default_str();
    command.add_flag("--signed", signedMaps, "Signed gradients for vg/sg/vargrad (default: absolute, as Captum's Saliency)");
    command.add_option("--ig-steps", config.igSteps, "Integrated Gradients: points on the path from the baseline")->capture_default_str();
    command.add_option("--ig-rule", config.igRule, "gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid")
        ->capture_default_str();
    command.add_option("--baseline", config.baseline, "IG baseline: zero (= black), blur, uniform")->capture_default_str();
    command.add_option("--baseline-sigma", config.baselineBlurSigma, "Blur baseline sigma in pixels")->capture_default_str();
    command.add_option("--sg-samples", config.sgSamples, "SmoothGrad and VarGrad: noisy copies averaged")->capture_default_str();
    command.add_option("--sg-sigma", config.sgSigma, "SmoothGrad noise sigma in pixel units")->capture_default_str();
    command.add_option("--target", config.target, "pred, label or a class index")->capture_default_str();
    command.add_option("--reduce", config.heatmapReduction, "Channels to heatmap: sum, max, l2")->capture_default_str();
    command.add_option("--max-batch", config.maxBatch, "Inputs per forward/backward pass (memory bound)")->capture_default_str();
}

std::vector<double> parseNumberList(const std::string& text, const std::string& option) {
    std::vector<double> values;
    for (const auto& part : splitCommaList(text)) {
        try {
            size_t used = 0;
            values.push_back(std::stod(part, &used));
            if (used != part.size()) throw std::invalid_argument(part);
        } catch (const std::exception&) {
            throw InputError(option + " " + text, "expected comma-separated numbers");
        }
    }
    return values;
}

}  // namespace sw::cli
