#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"
#include "jobs/JobEdge.h"
#include "util/Precision.h"

namespace sw {

/// `saliency-cli explain` in plain types.
struct ExplainRequest {
    std::string modelPath;
    std::string datasetSpec;      ///< with `indices`; or leave empty and give imageFiles
    std::string indices = "0-9";  ///< "0-99", "3,7,10-12"
    std::vector<std::string> imageFiles;
    SaliencyConfig saliency;
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;  ///< fp32 (default) or tf32 (util/Precision.h)
    std::string outputDir;
    bool writePng = false;
    std::string colormap;      ///< empty = defaultColormap(): inferno for |maps|, diverging for signed maps
    int pngSize = 112;         ///< the PNG overlays' shorter side, at least (the map is enlarged by whole pixels)
    bool sharedScale = false;  ///< one colour scale for all PNGs (else per image)
    double clipPercentile = 99.5;
    std::optional<std::array<int64_t, 3>> inputShape;  ///< TorchScript models without a sidecar
    std::vector<std::string> classNames;
};

/// Writes DIR/heatmaps.npy (N×H×W float32), DIR/attributions.npy (N×C×H×W), DIR/index.csv
/// (index, source, label, prediction, confidence, target, label_name, prediction_name) and, with writePng,
/// DIR/overlay_<index>.png. An image file resized or converted to fit the model gets a line in the result's
/// message ("note: photo.png: 2584×956 colour image → 28×28 greyscale"). Every option
/// is checked before any computation; the files are written to a temporary folder and moved into DIR only
/// when all succeeded, so a failure leaves none of them.
JobResult runExplainJob(const ExplainRequest& request, Feedback& feedback);

}  // namespace sw
