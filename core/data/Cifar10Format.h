#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

namespace sw {

/// One CIFAR-10 binary batch file: records of 1 label byte + 3×32×32 pixel bytes (R plane, G, B).
struct Cifar10Batch {
    torch::Tensor images;  ///< uint8 N×3×32×32
    torch::Tensor labels;  ///< int64 N, every label in 0..9
};

/// Throws InputError naming `source` when the size is not a whole number of records or a label is out of range.
Cifar10Batch parseCifar10Batch(const std::vector<uint8_t>& bytes, const std::string& source);

}  // namespace sw
