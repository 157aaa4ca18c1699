#include "data/BatchSampler.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/padding.h>

namespace sw {

torch::Generator makeGenerator(uint64_t seed, uint64_t stream) {
    uint64_t z = seed * 0x9E3779B97F4A7C15ull ^ (stream + 0xD1B54A32D192ED03ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return at::make_generator<at::CPUGeneratorImpl>(z ^ (z >> 31));
}

torch::Tensor epochOrder(int64_t sampleCount, uint64_t seed, int64_t epoch) {
    auto generator = makeGenerator(seed, 0x0E0C0000ull + uint64_t(epoch));
    return torch::randperm(sampleCount, generator, torch::TensorOptions().dtype(torch::kInt64));
}

torch::Tensor augmentCropFlip(const torch::Tensor& pixels, int64_t padding, torch::Generator& generator) {
    TORCH_CHECK(pixels.dim() == 4, "expected NCHW, got ", pixels.dim(), "D");
    const auto count = pixels.size(0), height = pixels.size(2), width = pixels.size(3);
    namespace F = torch::nn::functional;
    const auto padded = F::pad(pixels, F::PadFuncOptions({padding, padding, padding, padding}));
    const auto offsets = torch::randint(0, 2 * padding + 1, {count, 2}, generator, torch::kInt64);
    const auto flips = torch::rand({count}, generator);
    auto result = torch::empty_like(pixels);
    for (int64_t i = 0; i < count; ++i) {
        const auto dy = offsets[i][0].item<int64_t>(), dx = offsets[i][1].item<int64_t>();
        auto crop = padded[i].slice(1, dy, dy + height).slice(2, dx, dx + width);
        if (flips[i].item<float>() < 0.5f) crop = crop.flip({2});
        result[i].copy_(crop);
    }
    return result;
}

}  // namespace sw
