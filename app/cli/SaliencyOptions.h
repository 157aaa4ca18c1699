#pragma once

#include <CLI/CLI.hpp>

#include "explain/SaliencyConfig.h"

namespace sw::cli {

/// The saliency-method flags shared by explain, evaluate and curves.
void addSaliencyOptions(CLI::App& command, SaliencyConfig& config, bool& signedMaps);

/// The --colormap help, from the list the renderer accepts (io/HeatmapStyle.h).
std::string colormapHelp();

/// "0.01,0.03" → {0.01, 0.03}; throws InputError naming the option.
std::vector<double> parseNumberList(const std::string& text, const std::string& option);

}  // namespace sw::cli
