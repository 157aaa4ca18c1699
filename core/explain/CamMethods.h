#pragma once

#include <string>

namespace sw {

struct AttributionTask;
struct SaliencyConfig;

/// Class activation maps at a feature layer A (N×K×h×w) with g = ∂f_c/∂A, as pytorch-grad-cam 1.5.7 computes
/// them (docs/METRICS.md, "CAM family"), each rectified, min-max scaled, upsampled to the input and scaled again:
/// - Grad-CAM: Σ_k mean_ij(g_k)·A_k          - HiResCAM: Σ_k g_k ⊙ A_k
/// - Grad-CAM++: Σ_k (Σ_ij relu(g)·α)_k·A_k, α = g² / (2g² + Σ_ij A·g³ + 1e-6)
/// - LayerCAM: Σ_k relu(g_k) ⊙ A_k
/// Guided Grad-CAM (Captum 0.9's GuidedGradCam): Guided Backprop ⊙ the unscaled Grad-CAM, upsampled nearest.
/// The result is N×1×H×W (Guided Grad-CAM: N×C×H×W).
void attributeGradCam(AttributionTask& task);
void attributeGradCamPlusPlus(AttributionTask& task);
void attributeHiResCam(AttributionTask& task);
void attributeLayerCam(AttributionTask& task);
void attributeGuidedGradCam(AttributionTask& task);

std::string describeCam(const SaliencyConfig& config);

}  // namespace sw
