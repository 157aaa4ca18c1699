#pragma once

#include <string>

namespace sw {

struct AttributionTask;
struct SaliencyConfig;

/// Layer-wise Relevance Propagation on a native model, as Zennit 0.5.1 computes it (docs/METRICS.md, "LRP"):
/// the target's one-hot relevance flows back layer by layer, each convolution and dense layer by the rule the
/// composite (config.lrpRule) gives it; activations and batch norms pass it on, max-pools and the smoothing
/// block's blur by their gradient, global average pools and residual sums in proportion to their inputs
/// (Zennit's Norm rule). ResNet batch norms are merged into the convolution before them, as Zennit's
/// SequentialMergeBatchNorm does. The result at the pixels includes the normalisation's 1/std.
/// Throws InputError for a TorchScript model (its layers are compiled, so no rule can reach them).
void attributeLrp(AttributionTask& task);

std::string describeLrp(const SaliencyConfig& config);

}  // namespace sw
