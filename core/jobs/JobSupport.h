#pragma once

#include <functional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "util/Feedback.h"

namespace sw {

class ImageClassifier;

/// Runs a job body and turns every exception into Outcome::Failed with a readable message
/// (core throws, the job edge catches).
JobResult runGuarded(const std::function<JobResult()>& body);

/// Images chosen for explanation: pixels on the CPU, labels (−1 when unknown), and where each came from.
struct SelectedInputs {
    torch::Tensor pixels;  ///< float N×C×H×W in [0, 1]
    torch::Tensor labels;  ///< int64 N
    std::vector<int64_t> indices;
    std::vector<std::string> sources;  ///< dataset spec or file name
};

/// Loads dataset samples at `indices` (e.g. "0-99") or the given image files, fitted to the model's input
/// shape; checks that model and data agree. Throws InputError naming the file, spec or index.
SelectedInputs loadInputs(const ImageClassifier& model, const std::string& modelPath, const std::string& datasetSpec,
                          const std::string& indices, const std::vector<std::string>& imageFiles);

}  // namespace sw
