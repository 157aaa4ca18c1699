#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "data/Dataset.h"
#include "models/ImageClassifier.h"

namespace sw {

struct TorchScriptMetadata;

/// Images chosen for explanation: pixels on the CPU, labels (−1 when unknown), and where each came from.
struct SelectedInputs {
    torch::Tensor pixels;  ///< float N×C×H×W in [0, 1]
    torch::Tensor labels;  ///< int64 N
    std::vector<int64_t> indices;
    std::vector<std::string> sources;  ///< dataset spec or file name
    std::vector<std::string> notices;  ///< "photo.png: 2584×956 colour image → 28×28 greyscale, …" per fitted file
};

/// Loads dataset samples at `indices` (e.g. "0-99") or the given image files, fitted to the model's input
/// shape; checks that model and data agree. Throws InputError naming the file, spec or index.
SelectedInputs loadInputs(const ImageClassifier& model, const std::string& modelPath, const std::string& datasetSpec,
                          const std::string& indices, const std::vector<std::string>& imageFiles);

/// A model on its device and the first `limit` samples of a dataset fitted to it, checked to agree (for the
/// saliency-evaluation and curves jobs). Throws InputError naming the file or spec.
struct EvaluationInputs {
    std::unique_ptr<ImageClassifier> model;
    Dataset data;
};
EvaluationInputs loadEvaluationInputs(const std::string& modelPath, const std::string& datasetSpec, int64_t limit,
                                      const std::string& device, const TorchScriptMetadata& metadata);

}  // namespace sw
