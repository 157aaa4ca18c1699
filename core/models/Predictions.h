#pragma once

#include <string>
#include <vector>

#include <torch/types.h>

#include "models/ImageClassifier.h"

namespace sw {

struct Dataset;
class Feedback;

/// What a model says about one image.
struct Prediction {
    int64_t index = -1;       ///< the predicted class
    double confidence = 0.0;  ///< its softmax probability
    std::string className;    ///< the model's name for it, or its number when the model names fewer classes
};

/// The model's name for class `index`: the description's, or the number when it names fewer classes.
std::string classNameOf(const ImageClassifier& model, int64_t index);

/// Logits N×K on the CPU for pixels N×C×H×W (any device), computed in chunks of `chunk` images without
/// gradients, in eval mode, so a whole evaluation set never goes through a large model at once.
torch::Tensor logitsInChunks(ImageClassifier& model, const torch::Tensor& pixels, int64_t chunk = 500);

/// The prediction for every image of `pixels`, in chunks as logitsInChunks.
std::vector<Prediction> predict(ImageClassifier& model, const torch::Tensor& pixels, int64_t chunk = 500);

/// The predicted class of every image of `data` (int64 N on the CPU), converting the images chunk by chunk.
/// Reports progress to `feedback` and throws Cancelled when it is cancelled.
torch::Tensor predictedClasses(ImageClassifier& model, const Dataset& data, int64_t chunk = 500, Feedback* feedback = nullptr);

}  // namespace sw
