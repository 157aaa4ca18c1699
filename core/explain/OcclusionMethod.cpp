#include "explain/OcclusionMethod.h"

#include <cstdio>

#include "explain/AttributionTask.h"
#include "util/Feedback.h"

namespace sw {

int64_t occlusionPositions(int64_t length, int64_t window, int64_t stride) {
    if (length <= window) return 1;
    return (length - window + stride - 1) / stride + 1;
}

int64_t occlusionPassesPerImage(const SaliencyConfig& config, int64_t height, int64_t width) {
    return occlusionPositions(height, config.occlusionWindow, config.occlusionStride) *
               occlusionPositions(width, config.occlusionWindow, config.occlusionStride) +
           1;
}

void attributeOcclusion(AttributionTask& task) {
    torch::NoGradGuard noGrad;
    const auto& pixels = task.pixels;
    const int64_t count = pixels.size(0), height = pixels.size(2), width = pixels.size(3);
    const int64_t window = task.config.occlusionWindow, stride = task.config.occlusionStride;
    const int64_t rows = occlusionPositions(height, window, stride), columns = occlusionPositions(width, window, stride);
    const int64_t patches = rows * columns;

    const auto index = torch::TensorOptions().dtype(torch::kInt64).device(pixels.device());
    const auto ys = torch::arange(height, index).view({1, -1, 1}), xs = torch::arange(width, index).view({1, 1, -1});
    // Which pixels patches `patch` (a 1-D index tensor) cover, P×1×H×W; a patch is cut at the border.
    const auto masksOf = [&](const torch::Tensor& patch) {
        const auto top = (patch.div(columns, "floor") * stride).view({-1, 1, 1}),
                   left = (patch.remainder(columns) * stride).view({-1, 1, 1});
        return ((ys >= top) & (ys < top + window) & (xs >= left) & (xs < left + window)).unsqueeze(1).to(pixels.dtype());
    };
    std::vector<torch::Tensor> clean;
    for (int64_t begin = 0; begin < count; begin += task.config.maxBatch) {
        const auto end = std::min(count, begin + task.config.maxBatch);
        clean.push_back(task.model.logits(pixels.slice(0, begin, end)).gather(1, task.targets.slice(0, begin, end).view({-1, 1})).view(-1));
    }
    const auto cleanScores = torch::cat(clean);

    auto sum = torch::zeros({count, height, width}, pixels.options());
    const int64_t total = count * patches;
    forEachChunk(task, total, task.config.maxBatch, [&](int64_t begin, int64_t end) {
        const auto row = torch::arange(begin, end, torch::TensorOptions().dtype(torch::kInt64).device(pixels.device()));
        const auto image = row.div(patches, "floor");
        const auto mask = masksOf(row.remainder(patches));
        const auto occluded = pixels.index_select(0, image) * (1.0 - mask) + task.config.occlusionBaseline * mask;
        const auto scores = task.model.logits(occluded).gather(1, task.targets.index_select(0, image).view({-1, 1})).view(-1);
        const auto drop = cleanScores.index_select(0, image) - scores;
        sum.index_add_(0, image, drop.view({-1, 1, 1}) * mask.squeeze(1));
        reportProgress(task.feedback, double(end) / double(total), "Occlusion");
    });
    // How many patches cover each pixel: the product of the coverings along each axis.
    const auto covering = [&](int64_t length, int64_t positions) {
        const auto at = torch::arange(length, index).view({-1, 1}), origin = (torch::arange(positions, index) * stride).view({1, -1});
        return ((at >= origin) & (at < origin + window)).sum(1).to(pixels.dtype());
    };
    const auto coverage = covering(height, rows).view({-1, 1}) * covering(width, columns).view({1, -1});
    task.attributions = (sum / coverage).unsqueeze(1).expand_as(pixels).contiguous();
}

std::string describeOcclusion(const SaliencyConfig& config) {
    char text[160];
    std::snprintf(text, sizeof text, "Occlusion: %lld×%lld patches of value %g, stride %lld",
                  static_cast<long long>(config.occlusionWindow), static_cast<long long>(config.occlusionWindow), config.occlusionBaseline,
                  static_cast<long long>(config.occlusionStride));
    return text;
}

}  // namespace sw
