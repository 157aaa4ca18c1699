#pragma once

#include <string>

namespace sw {

struct AttributionTask;
struct SaliencyConfig;

/// The gradient methods, with Captum's definitions (docs/METRICS.md, "Gradient methods"):
/// - Vanilla Gradient ∂f_c/∂x (absolute by default); Gradient × Input x·∂f_c/∂x
/// - Integrated Gradients (x−b)·Σᵢ wᵢ ∂f_c(b+αᵢ(x−b))/∂x with the chosen integration rule and baseline b
/// - SmoothGrad: the mean over n noisy copies x+N(0,σ²) of the VG map; VarGrad: their variance
/// Work is batched over images, IG steps and noise samples, in chunks of at most config.maxBatch inputs.
void attributeVanillaGradient(AttributionTask& task);
void attributeGradientTimesInput(AttributionTask& task);
void attributeIntegratedGradients(AttributionTask& task);
void attributeSmoothGrad(AttributionTask& task);
void attributeVarGrad(AttributionTask& task);

std::string describeVanillaGradient(const SaliencyConfig& config);
std::string describeGradientTimesInput(const SaliencyConfig& config);
std::string describeIntegratedGradients(const SaliencyConfig& config);
std::string describeNoiseTunnel(const SaliencyConfig& config);

}  // namespace sw
