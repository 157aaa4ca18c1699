#pragma once

#include <filesystem>

#include <torch/types.h>

namespace sw {

/// Writes a contiguous little-endian NumPy .npy (format 1.0) holding a float32, float64, int64, int32 or
/// uint8 tensor, atomically. NumPy reads it with np.load as it is.
void writeNpy(const std::filesystem::path& path, const torch::Tensor& tensor);

/// Reads a .npy with dtype <f4, <f8, <i8, <i4 or |u1, C order. Throws InputError naming the file.
torch::Tensor readNpy(const std::filesystem::path& path);

}  // namespace sw
