#include "models/Activation.h"

#include <torch/library.h>
#include <torch/nn/functional/activation.h>

namespace sw {

namespace {
/// 0 = ReLU; otherwise softplus with this β (SoftplusSurrogate). Per thread, so the GUI's workers do not mix.
thread_local double t_softplusBeta = 0.0;
thread_local ReluRule t_reluRule = nullptr;
}  // namespace

torch::Tensor activation(const torch::Tensor& x) {
    if (t_reluRule) return t_reluRule(x);
    return t_softplusBeta > 0.0 ? torch::nn::functional::softplus(x, torch::nn::functional::SoftplusFuncOptions().beta(t_softplusBeta))
                                : torch::relu(x);
}

SoftplusSurrogate::SoftplusSurrogate(double beta) : m_previousBeta(t_softplusBeta) { t_softplusBeta = beta; }
SoftplusSurrogate::~SoftplusSurrogate() { t_softplusBeta = m_previousBeta; }

ReluOverride::ReluOverride(ReluRule rule) : m_previous(t_reluRule) { t_reluRule = rule; }
ReluOverride::~ReluOverride() { t_reluRule = m_previous; }

torch::Tensor overriddenRelu(const torch::Tensor& x) { return t_reluRule ? t_reluRule(x) : torch::relu(x); }

}  // namespace sw

// The operator a TorchScript graph calls where it called aten::relu (TorchScriptClassifier's ReLU-rule graph).
// CompositeImplicitAutograd: the rule's own autograd function records the backward.
TORCH_LIBRARY(sw, library) { library.def("relu_rule(Tensor x) -> Tensor", &sw::overriddenRelu); }
