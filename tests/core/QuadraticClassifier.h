#pragma once

// A model with closed forms for tests: torch headers only, before any Qt header (docs/ARCHITECTURE.md).
#include <torch/types.h>

#include "models/ImageClassifier.h"

namespace sw::test {

/// f₀(x) = Σ w·x², f₁(x) = −f₀(x): its gradient 2w·x, its second derivative along d 2Σ w·d², and IG with
/// baseline 0 (w·x² · the rule's Σ 2wᵢαᵢ) are known in closed form.
class QuadraticClassifier : public ImageClassifier {
public:
    explicit QuadraticClassifier(torch::Tensor weights) : m_weights(std::move(weights)) {
        m_description.arch = "quadratic";
        m_description.inputShape = {m_weights.size(0), m_weights.size(1), m_weights.size(2)};
        m_description.classes = {"up", "down"};
    }
    torch::Tensor logits(const torch::Tensor& x) override {
        const auto value = (m_weights.to(x.dtype()) * x * x).flatten(1).sum(1, true);
        return torch::cat({value, -value}, 1);
    }
    const ModelDescription& description() const override { return m_description; }
    void setTrainingMode(bool) override {}
    void moveTo(const torch::Device&) override {}
    torch::Device device() const override { return torch::kCPU; }
    std::vector<torch::Tensor> parameters() override { return {}; }

private:
    torch::Tensor m_weights;
    ModelDescription m_description;
};

}  // namespace sw::test
