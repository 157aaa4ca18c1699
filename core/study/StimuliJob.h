#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobs/JobEdge.h"
#include "util/Precision.h"
#include "study/StudyFolder.h"

namespace sw {

/// `saliency-cli stimuli` (and File → New study) in plain types: the stimulus set of a human study, built
/// blind, counterbalanced and reproducibly (docs/STUDY.md).
struct StimuliRequest {
    std::vector<std::string> modelPaths;  ///< a condition is a model × a method
    std::vector<std::string> methods = {"vg", "ig"};
    std::string datasetSpec = "fmnist:test";
    std::string indices;  ///< these images ("0-9,17"); empty: draw `imageCount` from the seed
    int imageCount = 12;
    bool stratified = true;          ///< a draw spreads over the classes evenly (else uniform)
    bool onlyCorrect = false;        ///< only images that every condition's model classifies correctly
    std::string layout = "overlay";  ///< overlay (map over the image) or side-by-side (image | map)
    int pixelSize = 8;               ///< screen pixels per image pixel (nearest neighbour, no blur)
    std::string colormap;            ///< empty: defaultColormap() for the method's sign
    double opacity = 0.6;
    bool sharedScale = true;  ///< one colour scale for an image's conditions (per method), else per map
    double clipPercentile = 99.5;
    double topKPercent = 100.0;  ///< matched sparsity: every map shows only its top k % of pixels
    bool caption = false;        ///< the predicted class under each stimulus
    int participants = 12;       ///< trial orders are written for this many participants
    int attentionEvery = 0;      ///< an attention-check trial after every N trials (0 = none)
    uint64_t seed = 0;
    StudySettings study = defaultStudySettings();  ///< study.json: the texts and questions participants see
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;  ///< fp32 (default) or tf32 (util/Precision.h)
    std::string outputDir;
};

/// Writes a study folder in the two-folder layout of study/StudyFolder.h: the participant bundle
/// OUT/participant/ (stimuli/img<NN>_c<K>.png — blind: condition codes, not model names — stimuli/attention.png
/// when there are attention checks, and study.html), the experimenter's OUT/private/ (key.json: condition codes →
/// model and method; manifest.{csv,json}: every file's SHA-256, image index, label, prediction, confidence, model
/// SHA-256, method and parameters with their precision, rendering settings, seed and program version), and
/// OUT/orders.csv (participant, trial, file, image, condition) and OUT/study.json (the texts and questions). The
/// same request gives byte-identical files. Every option is checked first; the folder is written through a
/// temporary one, so a failure leaves nothing half-written.
JobResult runStimuliJob(const StimuliRequest& request, Feedback& feedback);

}  // namespace sw
