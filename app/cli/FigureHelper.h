#pragma once

#include <string>
#include <vector>

namespace sw::cli {

/// Runs saliency-figures (app/figures), the program that draws report figures with the GUI's plotting widgets,
/// with `arguments`; its output goes to ours. saliency-cli links no widgets, so figures are drawn out of process.
/// Returns the problem (the helper missing, failing or killed), or empty.
std::string runFigureHelper(const std::vector<std::string>& arguments);

}  // namespace sw::cli
