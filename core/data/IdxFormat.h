#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/types.h>

namespace sw {

/// The whole file, gunzipped when it is gzip-compressed (zlib reads plain files unchanged).
/// Throws InputError naming the file when it is missing, unreadable or a damaged gzip stream.
std::vector<uint8_t> readPossiblyGzippedFile(const std::filesystem::path& path);

/// Parses an IDX image file (magic 0x00000803): uint8 tensor N×1×H×W.
/// `source` names the file in error messages.
torch::Tensor parseIdxImages(const std::vector<uint8_t>& bytes, const std::string& source);

/// Parses an IDX label file (magic 0x00000801): int64 tensor N, every label < classCount.
torch::Tensor parseIdxLabels(const std::vector<uint8_t>& bytes, const std::string& source, int64_t classCount);

}  // namespace sw
