#include "models/SmoothingBlock.h"

#include <cmath>

#include <torch/nn/functional/padding.h>

#include "util/InputError.h"

namespace sw {

BlurKind parseBlurKind(const std::string& name) {
    if (name == "gaussian") return BlurKind::Gaussian;
    if (name == "mean" || name == "box") return BlurKind::Mean;
    if (name == "median") return BlurKind::Median;
    throw InputError("smoothing kind '" + name + "'", "expected gaussian, mean or median");
}

double defaultBlurSigma(int64_t featureMapSize) { return 0.3 * ((double(featureMapSize) - 1.0) * 0.5 - 1.0) + 0.8; }

SmoothingBlockImpl::SmoothingBlockImpl(int64_t channels, BlurKind kind, int64_t kernelSize, double sigma)
    : m_channels(channels), m_kind(kind), m_kernelSize(kernelSize), m_sigma(sigma) {
    if (kernelSize < 1 || kernelSize % 2 == 0) {
        throw InputError("--smooth-kernel " + std::to_string(kernelSize), "the kernel size must be odd and positive");
    }
    if (kind == BlurKind::Gaussian && !(sigma > 0.0)) {
        throw InputError("--smooth-sigma " + std::to_string(sigma), "σ must be positive");
    }
    reset();
}

void SmoothingBlockImpl::reset() {
    m_mix = register_module("mix", torch::nn::Conv2d(torch::nn::Conv2dOptions(m_channels, m_channels, 1).bias(true)));
    auto kernel = torch::ones({m_kernelSize, m_kernelSize}, torch::kFloat32);
    if (m_kind == BlurKind::Gaussian) {
        const auto offsets = torch::arange(m_kernelSize, torch::kFloat64) - double(m_kernelSize / 2);
        const auto profile = torch::exp(-(offsets * offsets) / (2.0 * m_sigma * m_sigma));
        kernel = torch::outer(profile, profile).to(torch::kFloat32);
    }
    kernel = kernel / kernel.sum();
    m_blurKernel = register_buffer("blur_kernel", kernel.view({1, 1, m_kernelSize, m_kernelSize}));
}

torch::Tensor SmoothingBlockImpl::blur(const torch::Tensor& x) const {
    TORCH_CHECK(x.dim() == 4, "smoothing block expects NCHW, got ", x.dim(), "D");
    const int64_t pad = m_kernelSize / 2;
    if (pad == 0) {
        return x;
    }
    TORCH_CHECK(x.size(2) > pad && x.size(3) > pad, "feature map ", x.size(2), "×", x.size(3), " is too small for reflect padding of a ",
                m_kernelSize, "×", m_kernelSize, " blur");
    namespace F = torch::nn::functional;
    const auto padded = F::pad(x, F::PadFuncOptions({pad, pad, pad, pad}).mode(torch::kReflect));
    if (m_kind == BlurKind::Median) {
        const auto windows = padded.unfold(2, m_kernelSize, 1).unfold(3, m_kernelSize, 1);
        return std::get<0>(windows.reshape({x.size(0), x.size(1), x.size(2), x.size(3), -1}).median(-1));
    }
    const auto depthwise = m_blurKernel.to(x.dtype()).expand({x.size(1), 1, m_kernelSize, m_kernelSize});
    const std::vector<int64_t> one{1, 1}, zero{0, 0};
    return torch::conv2d(padded, depthwise, torch::Tensor(), one, zero, one, x.size(1));
}

torch::Tensor SmoothingBlockImpl::forward(const torch::Tensor& x) { return x + m_mix->forward(blur(x)); }

}  // namespace sw
