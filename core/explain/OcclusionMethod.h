#pragma once

#include <cstdint>
#include <string>

namespace sw {

struct AttributionTask;
struct SaliencyConfig;

/// Occlusion as Captum 0.9 defines it: a window × window patch over all channels, set to the baseline value,
/// slides with the stride (the last patch of a row or column is cut at the border); each pixel gets the mean,
/// over the patches covering it, of f_c(x) − f_c(x with the patch occluded). Batched over (image, patch) pairs,
/// cancellable, reports its progress.
void attributeOcclusion(AttributionTask& task);

/// Patch positions along one side of `length` pixels: ⌈(length − window) / stride⌉ + 1 (1 when the window covers it).
int64_t occlusionPositions(int64_t length, int64_t window, int64_t stride);

/// Forward passes per image: one per patch, plus the unoccluded image.
int64_t occlusionPassesPerImage(const SaliencyConfig& config, int64_t height, int64_t width);

std::string describeOcclusion(const SaliencyConfig& config);

}  // namespace sw
