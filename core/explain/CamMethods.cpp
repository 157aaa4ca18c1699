#include "explain/CamMethods.h"

#include <torch/autograd.h>
#include <torch/nn/functional/upsampling.h>

#include "explain/AttributionTask.h"
#include "explain/ReluRuleMethods.h"
#include "explain/SaliencyMethods.h"
#include "util/InputError.h"

namespace sw {

namespace {

enum class ChannelWeighting { GradCam, GradCamPlusPlus, HiResCam, LayerCam };

/// The rectified CAM at the task's layer, N×1×h×w, before any scaling.
torch::Tensor rectifiedCam(AttributionTask& task, ChannelWeighting weighting) {
    const auto layer = task.config.camLayer.empty() ? task.model.defaultFeatureLayer() : task.config.camLayer;
    if (layer.empty()) throw InputError("--method " + task.config.method, "the model has no feature layer for a CAM");
    std::vector<torch::Tensor> parts;
    forEachChunk(task, task.pixels.size(0), task.config.maxBatch, [&](int64_t begin, int64_t end) {
        const auto [logits, features] = task.model.logitsWithFeatures(task.pixels.slice(0, begin, end).detach(), layer);
        const auto gradients = torch::autograd::grad({targetScores(logits, task.targets.slice(0, begin, end))}, {features})[0];
        const auto activations = features.detach();
        torch::Tensor cam;
        switch (weighting) {
        case ChannelWeighting::GradCam:
            cam = (gradients.mean({2, 3}, true) * activations).sum(1, true);
            break;
        case ChannelWeighting::GradCamPlusPlus: {
            // Chattopadhyay et al.'s closed form for exponential scores, applied to the logit's gradient as
            // pytorch-grad-cam does; α is 0 where the gradient is.
            const auto squared = gradients * gradients;
            const auto cubed = squared * gradients;
            const auto denominator = 2.0 * squared + activations.sum({2, 3}, true) * cubed + 1e-6;
            const auto alpha = torch::where(gradients != 0, squared / denominator, torch::zeros_like(gradients));
            cam = ((torch::relu(gradients) * alpha).sum({2, 3}, true) * activations).sum(1, true);
            break;
        }
        case ChannelWeighting::HiResCam:
            cam = (gradients * activations).sum(1, true);
            break;
        case ChannelWeighting::LayerCam:
            cam = (torch::relu(gradients) * activations).sum(1, true);
            break;
        }
        parts.push_back(torch::relu(cam));
    });
    return torch::cat(parts);
}

torch::Tensor upsampled(const torch::Tensor& maps, const AttributionTask& task) {
    namespace F = torch::nn::functional;
    auto options = F::InterpolateFuncOptions().size(std::vector<int64_t>{task.pixels.size(2), task.pixels.size(3)});
    if (camUpsamplingOf(task.config) == "nearest") return F::interpolate(maps, options.mode(torch::kNearest));
    // Half-pixel centres without antialiasing: what cv2.resize's INTER_LINEAR does inside pytorch-grad-cam.
    return F::interpolate(maps, options.mode(torch::kBilinear).align_corners(false));
}

/// pytorch-grad-cam's scale_cam_image: per image, (m − min) / (1e-7 + max of that).
torch::Tensor minMaxScaled(const torch::Tensor& maps) {
    const auto flat = maps.flatten(1);
    const auto shifted = flat - std::get<0>(flat.min(1, true));
    return (shifted / (1e-7 + std::get<0>(shifted.max(1, true)))).view_as(maps);
}

void scaledCam(AttributionTask& task, ChannelWeighting weighting) {
    // Scaled before and after upsampling, as the library does (the second pass lifts the maximum back to ≈ 1).
    const auto resized = upsampled(minMaxScaled(rectifiedCam(task, weighting)), task);
    task.attributions = minMaxScaled(torch::relu(resized));
}

}  // namespace

void attributeGradCam(AttributionTask& task) { scaledCam(task, ChannelWeighting::GradCam); }
void attributeGradCamPlusPlus(AttributionTask& task) { scaledCam(task, ChannelWeighting::GradCamPlusPlus); }
void attributeHiResCam(AttributionTask& task) { scaledCam(task, ChannelWeighting::HiResCam); }
void attributeLayerCam(AttributionTask& task) { scaledCam(task, ChannelWeighting::LayerCam); }

void attributeGuidedGradCam(AttributionTask& task) {
    const auto cam = upsampled(rectifiedCam(task, ChannelWeighting::GradCam), task);
    guidedBackpropInto(task);
    task.attributions = task.attributions * cam;
}

std::string describeCam(const SaliencyConfig& config) {
    return saliencyMethod(config.method).fullName + " at " + (config.camLayer.empty() ? "the last convolutional layer" : config.camLayer) +
           ", upsampled " + camUpsamplingOf(config);
}

}  // namespace sw
