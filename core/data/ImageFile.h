#pragma once

#include <cstdint>
#include <filesystem>

#include <torch/types.h>

namespace sw {

/// Decodes an image file and fits it to channels×height×width (uint8 C×H×W): resized so the shorter side is
/// the target's, then centre-cropped. Throws InputError naming the file when it cannot be decoded, or when
/// this build has no OpenCV (a CLI/test build made without it, e.g. by scripts/gpu-check.sh).
/// `conversion`, when given, is set to what fitting did ("2584×956 colour image → 28×28 greyscale, resized
/// and centre-cropped"), or emptied when the file already had the model's size and colours.
torch::Tensor loadImageFile(const std::filesystem::path& path, int64_t channels, int64_t height, int64_t width,
                            std::string* conversion = nullptr);

/// True for the extensions we try to decode (png, jpg, jpeg, bmp, tif, tiff, webp, pgm, ppm).
bool hasImageExtension(const std::filesystem::path& path);

/// False in a build without OpenCV: image files, PNG overlays and the generated shapes set are unavailable.
bool haveImageSupport();

}  // namespace sw
