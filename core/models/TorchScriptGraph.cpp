#include "models/TorchScriptGraph.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/ir/scope.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/runtime/interpreter.h>

namespace sw {

namespace jit = torch::jit;

namespace {

/// "layer4.1.relu" for a node inlined from self.layer4[1].relu's forward; "" for the top module's own nodes.
std::string modulePathOf(const jit::Node* node) {
    const auto callstack = node->callstack();
    if (!callstack) return "";
    std::string path;
    for (const auto& entry : (*callstack)->vec()) {
        const auto& info = std::get<jit::kModuleInstanceInfo>(entry);
        if (!info) continue;
        const auto name = info->instance_name();
        if (name == "SELF" || name == "INSTANCE_NAME_UNKNOWN") continue;  // a method of the same module, or unnamed
        path += (path.empty() ? "" : ".") + name;
    }
    return path;
}

std::string classNameOf(const jit::Node* node) {
    const auto callstack = node->callstack();
    if (!callstack) return "";
    std::string name;
    for (const auto& entry : (*callstack)->vec()) {
        const auto& info = std::get<jit::kModuleInstanceInfo>(entry);
        if (info && info->class_type() && info->class_type()->name()) name = info->class_type()->name()->name();
    }
    return name;
}

bool isInside(const std::string& path, const std::string& module) {
    return path == module || (path.size() > module.size() && path.compare(0, module.size(), module) == 0 && path[module.size()] == '.');
}

/// The class of `module` itself: the innermost call frame at that path.
std::string classAtPath(const jit::Node* node, const std::string& module) {
    const auto callstack = node->callstack();
    if (!callstack) return "";
    std::string path;
    for (const auto& entry : (*callstack)->vec()) {
        const auto& info = std::get<jit::kModuleInstanceInfo>(entry);
        if (!info) continue;
        const auto name = info->instance_name();
        if (name == "SELF" || name == "INSTANCE_NAME_UNKNOWN") continue;
        path += (path.empty() ? "" : ".") + name;
        if (path == module) return info->class_type() && info->class_type()->name() ? info->class_type()->name()->name() : "";
    }
    return classNameOf(node);
}

}  // namespace

TorchScriptGraph::TorchScriptGraph(jit::Module& module) : m_module(module) {
    m_graph = m_module.get_method("forward").graph()->copy();
    jit::Inline(*m_graph);

    // A module's output: a tensor its nodes compute that a node outside it uses (or the graph returns).
    std::map<std::string, std::vector<jit::Value*>> outputsOf;
    std::map<std::string, std::string> classOf;
    std::vector<std::string> order;
    for (auto* node : m_graph->nodes()) {
        const auto producer = modulePathOf(node);
        if (producer.empty()) continue;
        for (auto* value : node->outputs()) {
            if (!value->type()->isSubtypeOf(*c10::TensorType::get())) continue;
            std::vector<std::string> enclosing;  // "layer4", "layer4.1", "layer4.1.relu"
            for (size_t dot = producer.find('.');; dot = producer.find('.', dot + 1)) {
                enclosing.push_back(producer.substr(0, dot));
                if (dot == std::string::npos) break;
            }
            std::set<std::string> escapes;  // the enclosing modules this value leaves
            for (const auto& use : value->uses()) {
                const bool returned = use.user->kind() == jit::prim::Return;
                const auto user = returned ? std::string() : modulePathOf(use.user);
                for (const auto& module : enclosing) {
                    if (returned || !isInside(user, module)) escapes.insert(module);
                }
            }
            for (const auto& module : escapes) {
                if (!outputsOf.count(module)) order.push_back(module);
                auto& values = outputsOf[module];
                if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
                classOf.emplace(module, classAtPath(node, module));
            }
        }
    }
    std::map<jit::Value*, size_t> indexOf;
    for (const auto& module : order) {
        const auto& values = outputsOf[module];
        if (values.size() != 1) continue;  // several outputs, or called twice: no single feature map
        const auto found = indexOf.find(values.front());
        if (found == indexOf.end()) {
            indexOf.emplace(values.front(), m_outputs.size());
            m_outputs.push_back({{module}, {classOf[module]}, values.front()});
        } else {
            m_outputs[found->second].paths.push_back(module);
            m_outputs[found->second].classes.push_back(classOf[module]);
        }
    }
    // In the order the forward computes them; a shared value lists its shortest path first.
    std::map<const jit::Node*, size_t> position;
    size_t index = 0;
    for (auto* node : m_graph->nodes()) position[node] = index++;
    std::stable_sort(m_outputs.begin(), m_outputs.end(),
                     [&](const ModuleOutput& a, const ModuleOutput& b) { return position[a.value->node()] < position[b.value->node()]; });
    for (auto& output : m_outputs) {
        std::vector<size_t> byLength(output.paths.size());
        for (size_t i = 0; i < byLength.size(); ++i) byLength[i] = i;
        std::stable_sort(byLength.begin(), byLength.end(),
                         [&](size_t a, size_t b) { return output.paths[a].size() < output.paths[b].size(); });
        ModuleOutput sorted{{}, {}, output.value};
        for (const auto i : byLength) {
            sorted.paths.push_back(output.paths[i]);
            sorted.classes.push_back(output.classes[i]);
        }
        output = sorted;
    }
}

std::vector<torch::Tensor> TorchScriptGraph::run(const torch::Tensor& pixels, const std::vector<size_t>& extraOutputs) {
    auto& code = m_codeFor[extraOutputs];
    if (!code) {
        // The extra outputs are registered on a copy; copying maps values by position, so find them by index.
        std::vector<size_t> valuePositions;
        std::map<const jit::Value*, size_t> positionOf;
        size_t position = 0;
        for (auto* node : m_graph->nodes()) {
            for (auto* value : node->outputs()) positionOf[value] = position++;
        }
        auto graph = m_graph->copy();
        std::vector<jit::Value*> values;
        for (auto* node : graph->nodes()) {
            for (auto* value : node->outputs()) values.push_back(value);
        }
        for (const auto index : extraOutputs) graph->registerOutput(values.at(positionOf.at(m_outputs.at(index).value)));
        code = std::make_shared<jit::Code>(graph, "forward_with_features");
    }
    jit::Stack stack{m_module._ivalue(), pixels};
    jit::InterpreterState(*code).run(stack);
    std::vector<torch::Tensor> results;
    for (const auto& value : stack) results.push_back(value.toTensor());
    return results;
}

size_t TorchScriptGraph::reluCount() const {
    size_t count = 0;
    for (const auto* node : m_graph->nodes()) count += node->kind() == jit::aten::relu || node->kind() == jit::aten::relu_;
    return count;
}

torch::Tensor TorchScriptGraph::runWithReluRule(const torch::Tensor& pixels) {
    if (!m_reluRuleCode) {
        auto graph = m_graph->copy();
        std::vector<jit::Node*> relus;
        for (auto* node : graph->nodes()) {
            if (node->kind() == jit::aten::relu || node->kind() == jit::aten::relu_) relus.push_back(node);
        }
        if (relus.empty()) throw std::invalid_argument("its forward calls no ReLU (aten::relu) that a rule could replace");
        const auto rule = c10::Symbol::fromQualString("sw::relu_rule");
        for (auto* relu : relus) {
            jit::WithInsertPoint insertBefore(relu);
            auto* replacement = graph->insert(rule, {relu->input(0)});
            relu->output()->replaceAllUsesWith(replacement);
            if (relu->kind() == jit::aten::relu_) relu->input(0)->replaceAllUsesAfterNodeWith(relu, replacement);
            relu->destroy();
        }
        m_reluRuleCode = std::make_shared<jit::Code>(graph, "forward_with_relu_rule");
    }
    jit::Stack stack{m_module._ivalue(), pixels};
    jit::InterpreterState(*m_reluRuleCode).run(stack);
    return stack.front().toTensor();
}

}  // namespace sw
