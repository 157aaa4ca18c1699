#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace sw {

/// The building blocks of the native architectures (models/Architectures.h). Declared here because the
/// layer-wise relevance rules (explain/RelevanceMethods.cpp) walk them layer by layer.

/// torchvision's BasicBlock, with its parameter names: relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)).
class BasicBlockImpl : public torch::nn::Module {
public:
    BasicBlockImpl(int64_t in, int64_t out, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv1, conv2;
    torch::nn::BatchNorm2d bn1, bn2;
    torch::nn::Sequential downsample{nullptr};  ///< conv 1×1 and batch norm, when the shape changes
};
TORCH_MODULE(BasicBlock);

/// Zagoruyko & Komodakis' pre-activation wide block: conv2(relu(bn2(conv1(a)))) + shortcut, a = relu(bn1 x).
class WideBlockImpl : public torch::nn::Module {
public:
    WideBlockImpl(int64_t in, int64_t out, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::BatchNorm2d bn1;
    torch::nn::Conv2d conv1;
    torch::nn::BatchNorm2d bn2;
    torch::nn::Conv2d conv2;
    torch::nn::Conv2d shortcut{nullptr};  ///< 1×1 on a, when the shape changes; otherwise the shortcut is x
};
TORCH_MODULE(WideBlock);

/// nn::Sequential's templated forward cannot live in an AnyModule; a stage made of several layers can.
class StageImpl : public torch::nn::SequentialImpl {
public:
    using SequentialImpl::SequentialImpl;
    torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(Stage);

}  // namespace sw
