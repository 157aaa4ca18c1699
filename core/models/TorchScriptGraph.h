#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/script.h>

namespace sw {

/// A TorchScript module's forward graph with every call inlined, so that the outputs of its submodules (named by
/// module path, "features.3" or "layer4.1.relu") and its ReLUs can be reached. TorchScript modules take no hooks;
/// this is how CAMs find a layer and how Guided Backprop and DeepLIFT replace ReLUs in a file made in PyTorch.
class TorchScriptGraph {
public:
    explicit TorchScriptGraph(torch::jit::Module& module);

    /// One submodule output: the module paths that return the same tensor (a container and its last child do),
    /// and its position among the graph's values.
    struct ModuleOutput {
        std::vector<std::string> paths;    ///< shortest first
        std::vector<std::string> classes;  ///< each path's class name without its qualification ("MaxPool2d")
        torch::jit::Value* value = nullptr;
    };
    /// Every submodule that returns exactly one tensor, in the order the forward computes them.
    const std::vector<ModuleOutput>& moduleOutputs() const { return m_outputs; }

    /// Runs forward returning the logits and the outputs of `extraOutputs` (indices into moduleOutputs()).
    std::vector<torch::Tensor> run(const torch::Tensor& pixels, const std::vector<size_t>& extraOutputs);

    /// How many aten::relu calls the forward makes.
    size_t reluCount() const;

    /// Runs forward with every aten::relu replaced by sw::relu_rule (models/Activation.h). Throws
    /// std::invalid_argument when the graph has no ReLU to replace.
    torch::Tensor runWithReluRule(const torch::Tensor& pixels);

private:
    torch::jit::Module m_module;
    std::shared_ptr<torch::jit::Graph> m_graph;  ///< inlined forward, never run itself
    std::vector<ModuleOutput> m_outputs;
    std::map<std::vector<size_t>, std::shared_ptr<torch::jit::Code>> m_codeFor;
    std::shared_ptr<torch::jit::Code> m_reluRuleCode;
};

}  // namespace sw
