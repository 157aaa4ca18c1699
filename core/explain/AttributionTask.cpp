#include "explain/AttributionTask.h"

#include <torch/autograd.h>

#include "util/Feedback.h"

namespace sw {

torch::Tensor targetScores(const torch::Tensor& logits, const torch::Tensor& targets) {
    return logits.gather(1, targets.view({-1, 1})).sum();
}

void forEachChunk(AttributionTask& task, int64_t rows, int64_t chunk, const std::function<void(int64_t begin, int64_t end)>& work) {
    chunk = std::max<int64_t>(1, chunk);
    for (int64_t begin = 0; begin < rows; begin += chunk) {
        throwIfCancelled(task.feedback);
        const auto end = std::min(rows, begin + chunk);
        work(begin, end);
    }
}

torch::Tensor inputGradients(AttributionTask& task, const torch::Tensor& inputs, const torch::Tensor& targets) {
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < inputs.size(0); begin += task.config.maxBatch) {
        throwIfCancelled(task.feedback);
        const auto end = std::min(inputs.size(0), begin + task.config.maxBatch);
        auto x = inputs.slice(0, begin, end).detach().requires_grad_(true);
        const auto score = targetScores(task.model.logits(x), targets.slice(0, begin, end));
        parts.push_back(torch::autograd::grad({score}, {x})[0]);
    }
    return torch::cat(parts);
}

}  // namespace sw
