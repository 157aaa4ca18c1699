#pragma once

#include <torch/types.h>

namespace sw {

/// The nonlinearity of every native architecture. Normally ReLU; two scopes change it on this thread:
/// - SoftplusSurrogate: softplus with sharpness β, (1/β)·log(1 + e^{βx}), which tends to ReLU as β grows. It makes
///   the network twice differentiable, so its input Hessian exists (Dombrowski et al. 2019).
/// - ReluOverride: a function whose forward is ReLU and whose backward is an attribution rule (Guided Backprop,
///   DeepLIFT). TorchScript models honour it too: their graph's aten::relu calls become sw::relu_rule calls.
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

/// A ReLU with its forward unchanged and a different backward.
using ReluRule = torch::Tensor (*)(const torch::Tensor& preActivation);

/// Replaces every ReLU of this thread's forward passes by `rule` for its lifetime (scopes nest).
class ReluOverride {
public:
    explicit ReluOverride(ReluRule rule);
    ~ReluOverride();
    ReluOverride(const ReluOverride&) = delete;
    ReluOverride& operator=(const ReluOverride&) = delete;

private:
    ReluRule m_previous;
};

/// The ReLU the ReluOverride in force computes: `rule(x)`, or torch::relu without one.
torch::Tensor overriddenRelu(const torch::Tensor& x);

}  // namespace sw
