#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/modules/container/any.h>

namespace sw {

/// One named step of a network. The names are checkpoint keys and smoothing-block insertion points.
struct NamedStage {
    std::string name;
    torch::nn::AnyModule module;
};

/// Builds the stages of a supported architecture (without normalisation and smoothing blocks):
/// - "lenet": the paper's LeNet — conv1(→6,5) relu1 pool1 conv2(6→16,5) relu2 pool2 flatten fc1 relu3 fc2 relu4 fc3
/// - "resnet18": CIFAR-style ResNet-18 (3×3 stem) — stem layer1..layer4 pool fc
/// - "resnet18-imagenet": ImageNet-style ResNet-18 (7×7 stem + max-pool) — stem layer1..layer4 pool fc
/// - "wrn-D-W": WideResNet depth D = 6n+4, widen factor W (pre-activation) — stem layer1..layer3 head pool fc
/// Throws InputError for an unknown name or an input too small for the architecture.
std::vector<NamedStage> buildArchitecture(const std::string& arch, const std::array<int64_t, 3>& inputShape, int64_t classCount);

/// The stage whose output is the architecture's last convolutional feature map, before pooling: where CAMs
/// look by default (docs/METRICS.md, "Target layer").
std::string lastFeatureStage(const std::string& arch);

/// The architecture names accepted by buildArchitecture, for help texts.
std::string supportedArchitectures();

}  // namespace sw
