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

    /// The layers a CAM can look at — outputs that are feature maps N×K×h×w — in forward order: a native model's
    /// stages ("relu2", "layer4", "smooth_pool1"), a TorchScript model's module paths ("features.3"). Empty for a
    /// model without named layers.
    virtual std::vector<std::string> featureLayers() { return {}; }
    /// Where CAMs look unless told otherwise: the last convolutional feature map before pooling.
    virtual std::string defaultFeatureLayer() { return ""; }
    /// The logits and the output of `layer` (one of featureLayers()), which lies on the autograd path between the
    /// pixels and the logits. Throws InputError naming the layer and the choices.
    virtual std::pair<torch::Tensor, torch::Tensor> logitsWithFeatures(const torch::Tensor& pixels, const std::string& layer);
    /// The logits with every ReLU computed by the ReluOverride in force on this thread (models/Activation.h).
    /// Throws InputError when the model's ReLUs cannot be replaced.
    virtual torch::Tensor logitsWithReluOverride(const torch::Tensor& pixels);
    /// True when logitsWithReluOverride can replace the model's ReLUs.
    virtual bool hasReplaceableRelus() { return false; }
    /// True for a model this program built, whose layers rules can walk (LRP).
    virtual bool hasNativeLayers() const { return false; }

    /// Throws InputError naming `modelSource` when the dataset's image shape or class count disagrees.
    void checkCompatible(const Dataset& data, const std::string& modelSource) const;
};

}  // namespace sw
