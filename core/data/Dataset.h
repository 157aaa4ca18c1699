#pragma once

#include <array>
#include <string>
#include <vector>

#include <torch/types.h>

namespace sw {

/// An in-memory labelled image set. Pixels are kept as uint8 (N×C×H×W) so that a whole
/// Fashion-MNIST or CIFAR-10 split costs its file size; batches are converted to float [0, 1] on demand,
/// which is the pixel-space contract every model follows.
struct Dataset {
    std::string spec;                     ///< How it was opened, e.g. "fmnist:test".
    torch::Tensor images;                 ///< uint8, N×C×H×W.
    torch::Tensor labels;                 ///< int64, N.
    torch::Tensor masks;                  ///< uint8 N×H×W ground-truth object masks (shapes set only), else undefined.
    std::vector<std::string> classNames;  ///< classNames[label].

    int64_t size() const { return images.defined() ? images.size(0) : 0; }
    std::array<int64_t, 3> imageShape() const;  ///< {C, H, W}

    /// Float pixels in [0, 1] for the given sample indices (int64 tensor), on the CPU.
    torch::Tensor floatImages(const torch::Tensor& indices) const;
    /// The first `count` samples (or all if count <= 0 or larger than the set).
    Dataset head(int64_t count) const;
    /// The samples at `indices`, in that order.
    Dataset subset(const torch::Tensor& indices) const;
};

}  // namespace sw
