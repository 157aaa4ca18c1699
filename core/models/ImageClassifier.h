#pragma once

#include <string>
#include <vector>

#include <torch/types.h>

#include "models/ModelDescription.h"

namespace sw {

struct Dataset;

/// What explanation, evaluation and the GUI need from a model, whether native or TorchScript.
class ImageClassifier {
public:
    virtual ~ImageClassifier() = default;

    /// Logits N×K for float pixels N×C×H×W in [0, 1] on device(); differentiable w.r.t. the pixels.
    virtual torch::Tensor logits(const torch::Tensor& pixels) = 0;
    virtual const ModelDescription& description() const = 0;
    /// Training mode matters for batch-norm; attacks and evaluation run in eval mode.
    virtual void setTrainingMode(bool training) = 0;
    virtual void moveTo(const torch::Device& device) = 0;
    virtual torch::Device device() const = 0;
    virtual std::vector<torch::Tensor> parameters() = 0;

    /// Throws InputError naming `modelSource` when the dataset's image shape or class count disagrees.
    void checkCompatible(const Dataset& data, const std::string& modelSource) const;
};

}  // namespace sw
