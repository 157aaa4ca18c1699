#pragma once

#include <string>

namespace sw {

struct AttributionTask;
struct SaliencyConfig;

/// The methods that change only the ReLUs' backward pass (docs/METRICS.md), as Captum 0.9 defines them, with
/// every ReLU of the model overridden (native models; TorchScript models through their aten::relu calls):
/// - Guided Backprop: ∂f_c/∂x with each ReLU passing back max(g, 0)·[z > 0] (GuidedBackprop).
/// - DeepLIFT, rescale rule, zero baseline: x ⊙ ∂̃f_c/∂x where each ReLU passes back
///   g·(relu(z) − relu(z₀))/(z − z₀), z₀ its input for the black image (DeepLift, multiply_by_inputs).
void attributeGuidedBackprop(AttributionTask& task);
void attributeDeepLift(AttributionTask& task);

/// Guided Backprop's maps for the task's pixels, as attributeGuidedBackprop leaves them (Guided Grad-CAM uses them).
void guidedBackpropInto(AttributionTask& task);

std::string describeGuidedBackprop(const SaliencyConfig& config);
std::string describeDeepLift(const SaliencyConfig& config);

}  // namespace sw
