#pragma once

#include "models/Classifier.h"
#include "models/ImageClassifier.h"

namespace sw {

/// A model built by this program (trainable, rebuildable from its description).
class NativeClassifier : public ImageClassifier {
public:
    explicit NativeClassifier(Classifier network) : m_network(std::move(network)) {}

    torch::Tensor logits(const torch::Tensor& pixels) override { return m_network->forward(pixels); }
    const ModelDescription& description() const override { return m_network->description(); }
    void setTrainingMode(bool training) override { m_network->train(training); }
    void moveTo(const torch::Device& device) override {
        m_network->to(device);
        useChannelsLastWeights(m_network->parameters());
    }
    torch::Device device() const override;
    std::vector<torch::Tensor> parameters() override { return m_network->parameters(); }
    std::vector<std::string> featureLayers() override { return m_network->featureLayers(); }
    std::string defaultFeatureLayer() override { return m_network->lastFeatureLayer(); }
    std::pair<torch::Tensor, torch::Tensor> logitsWithFeatures(const torch::Tensor& pixels, const std::string& layer) override {
        return m_network->forwardWithFeatures(pixels, layer);
    }
    /// Every native ReLU is models/Activation.h's activation(), which honours the override.
    torch::Tensor logitsWithReluOverride(const torch::Tensor& pixels) override { return logits(pixels); }
    bool hasReplaceableRelus() override { return true; }
    bool hasNativeLayers() const override { return true; }

    Classifier& network() { return m_network; }

private:
    Classifier m_network;
};

}  // namespace sw
