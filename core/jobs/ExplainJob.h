#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"
#include "util/Feedback.h"

namespace sw {

/// `saliency-cli explain` in plain types.
struct ExplainRequest {
    std::string modelPath;
    std::string datasetSpec;              ///< with `indices`; or leave empty and give imageFiles
    std::string indices = "0-9";          ///< "0-99", "3,7,10-12"
    std::vector<std::string> imageFiles;
    SaliencyConfig saliency;
    std::string device = "auto";
    int threads = 0;
    std::string outputDir;
    bool writePng = false;
    std::string colormap;                 ///< empty = inferno for |maps|, diverging for signed maps
    bool sharedScale = false;             ///< one colour scale for all PNGs (else per image)
    double clipPercentile = 99.5;
    std::optional<std::array<int64_t, 3>> inputShape;  ///< TorchScript models without a sidecar
    std::vector<std::string> classNames;
};

/// Writes DIR/heatmaps.npy (N×H×W float32), DIR/attributions.npy (N×C×H×W), DIR/index.csv
/// (index, label, prediction, confidence, target) and, with writePng, DIR/overlay_<index>.png — each file
/// atomically, and none at all when anything fails.
JobResult runExplainJob(const ExplainRequest& request, Feedback& feedback);

/// "0-99,120" → {0..99, 120}; throws InputError for malformed or empty ranges.
std::vector<int64_t> parseIndexList(const std::string& text);

}  // namespace sw
