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

/// The architecture names accepted by buildArchitecture, for help texts.
std::string supportedArchitectures();

/// The nonlinearity of every native architecture: ReLU, or — while a SoftplusSurrogate is alive on this
/// thread — softplus with sharpness β, (1/β)·log(1 + e^{βx}), which tends to ReLU as β grows. The surrogate
/// makes the network twice differentiable, so its input Hessian exists (Dombrowski et al. 2019).
torch::Tensor activation(const torch::Tensor& x);

/// Switches this thread's native networks to the softplus surrogate for its lifetime (scopes nest).
class SoftplusSurrogate {
public:
    explicit SoftplusSurrogate(double beta);
    ~SoftplusSurrogate();
    SoftplusSurrogate(const SoftplusSurrogate&) = delete;
    SoftplusSurrogate& operator=(const SoftplusSurrogate&) = delete;

private:
    double m_previousBeta;
};

}  // namespace sw
