#pragma once

#include <string>

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace sw {

enum class BlurKind { Gaussian, Mean, Median };

/// "gaussian", "mean" or "median" → BlurKind; throws InputError for anything else.
BlurKind parseBlurKind(const std::string& name);

/// OpenCV's rule σ = 0.3·((n−1)·0.5−1)+0.8, which the authors apply with n = the feature-map size.
double defaultBlurSigma(int64_t featureMapSize);

/// The feature-map smoothing block `y = x + Conv1x1(Blur_k(x))` with reflect padding. Only the 1×1
/// convolution (registered as "mix") learns; the blur is fixed. Differentiable for every kind
/// (the median passes the gradient to the selected element).
class SmoothingBlockImpl : public torch::nn::Cloneable<SmoothingBlockImpl> {
public:
    SmoothingBlockImpl(int64_t channels, BlurKind kind, int64_t kernelSize, double sigma);

    void reset() override;
    torch::Tensor forward(const torch::Tensor& x);
    /// The fixed blur alone, same shape as x.
    torch::Tensor blur(const torch::Tensor& x) const;

    /// The learned 1×1 convolution.
    const torch::nn::Conv2d& mix() const { return m_mix; }
    BlurKind kind() const { return m_kind; }
    int64_t kernelSize() const { return m_kernelSize; }
    double sigma() const { return m_sigma; }

private:
    int64_t m_channels;
    BlurKind m_kind;
    int64_t m_kernelSize;
    double m_sigma;
    torch::nn::Conv2d m_mix{nullptr};
    torch::Tensor m_blurKernel;  ///< 1×1×k×k, registered as buffer "blur_kernel" (unused for median)
};
TORCH_MODULE(SmoothingBlock);

}  // namespace sw
