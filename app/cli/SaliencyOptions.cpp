#include "SaliencyOptions.h"

#include "CommandLineParsing.h"
#include "explain/SaliencyMethods.h"
#include "io/HeatmapStyle.h"
#include "util/InputError.h"
#include "util/ListParsing.h"

namespace sw::cli {

void addSaliencyOptions(CLI::App& command, SaliencyConfig& config, bool& signedMaps) {
    std::string methods;
    for (const auto& method : saliencyMethods()) methods += (methods.empty() ? "" : ", ") + method.id + " (" + method.name + ")";
    command.add_option("--method", config.method, methods)->capture_default_str();
    command.add_flag("--signed", signedMaps, "Signed maps for vg/sg/vargrad (default: absolute, as Captum's Saliency)");
    // Every method parameter the table names an option for (explain/SaliencyConfig.h, saliencyParameters()).
    for (const auto& parameter : saliencyParameters()) {
        if (parameter.option.empty()) continue;
        std::string help = parameter.help;
        std::string choices;
        for (const auto& choice : parameter.choices) {
            if (!choice.empty()) choices += (choices.empty() ? "" : ", ") + choice;
        }
        if (!choices.empty()) help += ": " + choices;
        std::visit([&](auto member) { command.add_option(parameter.option, config.*member, help)->capture_default_str(); },
                   parameter.field);
    }
    command.add_option("--target", config.target, "pred, label or a class index")->capture_default_str();
    command.add_option("--reduce", config.heatmapReduction, "Channels to heatmap: sum, max, l2")->capture_default_str();
    command.add_option("--max-batch", config.maxBatch, "Inputs per forward/backward pass (memory bound)")->capture_default_str();
}

std::string colormapHelp() {
    return joinCommaList(knownColormaps()) + " (default: " + defaultColormap(false) + ", " + defaultColormap(true) +
           " for signed maps, as in the GUI)";
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
