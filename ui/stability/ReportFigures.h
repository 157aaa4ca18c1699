#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sw::ui {

/// Draws a reproduction folder's figures with the workbench's own widgets, offscreen: the SSIM stability
/// curves per method (one plot for the ε sweep, one for the smoothing blocks) and overlay grids of a few test
/// images, clean and noisy. Writes FOLDER/figures/*.png and *.svg and lists them, with captions, in
/// FOLDER/figures/figures.json for the report. Needs FOLDER/curves.csv and FOLDER/workspace.json.
/// Creates an offscreen application object when the caller has none (the command line).
/// Deliberately free of Qt and torch types, so saliency-cli can call it. Returns an error message or empty.
/// `igSteps` as the evaluations used.
std::string renderReportFigures(const std::string& folder, const std::vector<int64_t>& imageIndices = {0, 1, 2}, int64_t igSteps = 50);

}  // namespace sw::ui
