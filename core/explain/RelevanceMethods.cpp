#include "explain/RelevanceMethods.h"

#include <cmath>
#include <memory>
#include <optional>

#include <torch/autograd.h>
#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/linear.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/functional.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include "explain/AttributionTask.h"
#include "explain/SaliencyExplainer.h"
#include "models/ArchitectureBlocks.h"
#include "models/NativeClassifier.h"
#include "util/InputError.h"

namespace sw {

namespace {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

/// Zennit's stabiliser: z + ε·sign(z), with sign(0) = +1, so no denominator is 0.
torch::Tensor stabilized(const torch::Tensor& z, double epsilon) {
    return z + epsilon * torch::where(z >= 0, torch::ones_like(z), -torch::ones_like(z));
}

constexpr double kStabilizer = 1e-6;  // Zennit's default for every rule but Epsilon's own ε

struct Rule {
    enum Kind { Epsilon, ZPlus, AlphaBeta, Gamma, Flat } kind = Epsilon;
    double parameter = kStabilizer;  ///< ε, or γ
};

/// The rules a composite gives to convolutions, dense layers and the first linear layer (Zennit's composites).
struct Composite {
    Rule convolution, dense;
    std::optional<Rule> first;
};

Composite compositeFor(const SaliencyConfig& config) {
    const Rule epsilonSmall{Rule::Epsilon, kStabilizer};
    if (config.lrpRule == "epsilon") return {{Rule::Epsilon, config.lrpEpsilon}, {Rule::Epsilon, config.lrpEpsilon}, std::nullopt};
    if (config.lrpRule == "gamma") return {{Rule::Gamma, config.lrpGamma}, {Rule::Gamma, config.lrpGamma}, std::nullopt};
    if (config.lrpRule == "zplus") return {{Rule::ZPlus}, {Rule::ZPlus}, std::nullopt};
    if (config.lrpRule == "alpha2-beta1") return {{Rule::AlphaBeta}, {Rule::AlphaBeta}, std::nullopt};
    if (config.lrpRule == "epsilon-alpha2-beta1") return {{Rule::AlphaBeta}, epsilonSmall, std::nullopt};
    return {{Rule::ZPlus}, epsilonSmall, Rule{Rule::Flat}};  // epsilon-plus-flat
}

/// One step of the relevance walk: computes its forward pass (remembering what its rule needs) and hands
/// relevance at its output back to its input.
class RelevanceLayer {
public:
    virtual ~RelevanceLayer() = default;
    virtual torch::Tensor forward(const torch::Tensor& x) = 0;
    virtual torch::Tensor relevance(const torch::Tensor& relevanceOut) = 0;
};
using Layers = std::vector<std::unique_ptr<RelevanceLayer>>;

/// A convolution or dense layer z = f(x; W) + b with its rule.
class LinearLayer : public RelevanceLayer {
public:
    LinearLayer(std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&)> apply, torch::Tensor weight,
                torch::Tensor bias, Rule rule)
        : m_apply(std::move(apply)), m_weight(std::move(weight)), m_bias(std::move(bias)), m_rule(rule) {}

    /// Folds a following batch norm (eval statistics) into the weights, as Zennit's SequentialMergeBatchNorm does.
    /// Zennit then leaves the batch norm with mean 0, variance 1 and its ε, so it still divides by √(1 + ε): the
    /// forward pass of the canonised network — which the rules see — keeps that factor, and so does ours.
    void mergeBatchNorm(const nn::BatchNorm2dImpl& norm) {
        const auto scale = norm.weight / torch::sqrt(norm.running_var + norm.options.eps());
        const auto bias = m_bias.defined() ? m_bias : torch::zeros_like(norm.running_mean);
        m_weight = m_weight * scale.view({-1, 1, 1, 1});
        m_bias = (bias - norm.running_mean) * scale + norm.bias;
        m_outputScale = 1.0 / std::sqrt(1.0 + norm.options.eps());
    }

    torch::Tensor forward(const torch::Tensor& x) override {
        m_input = x;
        const auto z = m_apply(x, m_weight, m_bias);
        return m_outputScale == 1.0 ? z : z * m_outputScale;  // the merged batch norm passes relevance unchanged
    }

    torch::Tensor relevance(const torch::Tensor& r) override {
        const auto& x = m_input;
        const auto& w = m_weight;
        const auto positive = [](const torch::Tensor& t) { return t.defined() ? t.clamp_min(0) : t; };
        const auto negative = [](const torch::Tensor& t) { return t.defined() ? t.clamp_max(0) : t; };
        const auto f = [&](const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias) {
            return m_apply(input, weight, bias);
        };
        const torch::Tensor none;
        const auto xp = positive(x), xn = negative(x), wp = positive(w), wn = negative(w);
        switch (m_rule.kind) {
        case Rule::Epsilon: {
            const auto s = r / stabilized(f(x, w, m_bias), m_rule.parameter);
            return x * transposed(w, s);
        }
        case Rule::ZPlus: {
            const auto s = r / stabilized(f(xp, wp, positive(m_bias)) + f(xn, wn, none), kStabilizer);
            return xp * transposed(wp, s) + xn * transposed(wn, s);
        }
        case Rule::AlphaBeta: {
            const double alpha = 2.0, beta = 1.0;
            const auto sp = r / stabilized(f(xp, wp, positive(m_bias)) + f(xn, wn, none), kStabilizer);
            const auto sn = r / stabilized(f(xp, wn, negative(m_bias)) + f(xn, wp, none), kStabilizer);
            return alpha * (xp * transposed(wp, sp) + xn * transposed(wn, sp)) - beta * (xp * transposed(wn, sn) + xn * transposed(wp, sn));
        }
        case Rule::Gamma: {
            const double gamma = m_rule.parameter;
            const auto up = w + gamma * wp, down = w + gamma * wn;
            const auto biasUp = m_bias.defined() ? m_bias + gamma * positive(m_bias) : m_bias;
            const auto biasDown = m_bias.defined() ? m_bias + gamma * negative(m_bias) : m_bias;
            const auto z = f(x, w, m_bias);
            const auto sUp = (z > 0).to(r.dtype()) * r / stabilized(f(xp, up, biasUp) + f(xn, down, none), kStabilizer);
            const auto sDown = (z < 0).to(r.dtype()) * r / stabilized(f(xp, down, biasDown) + f(xn, up, none), kStabilizer);
            return xp * transposed(up, sUp) + xn * transposed(down, sUp) + xp * transposed(down, sDown) + xn * transposed(up, sDown);
        }
        case Rule::Flat: {
            const auto ones = torch::ones_like(w);
            const auto s = r / stabilized(f(torch::ones_like(x), ones, none), kStabilizer);
            return transposed(ones, s);
        }
        }
        return r;
    }

private:
    /// Wᵀs: the input gradient of ⟨s, f(x; W)⟩, which f's linearity makes independent of x.
    torch::Tensor transposed(const torch::Tensor& weight, const torch::Tensor& s) {
        torch::AutoGradMode enabled(true);
        auto input = torch::zeros_like(m_input).requires_grad_(true);
        return torch::autograd::grad({m_apply(input, weight, torch::Tensor())}, {input}, {s})[0];
    }

    std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&)> m_apply;
    torch::Tensor m_weight, m_bias;
    Rule m_rule;
    double m_outputScale = 1.0;
    torch::Tensor m_input;
};

/// Activations and the batch norms that are not merged: relevance passes unchanged (Zennit's Pass).
class PassLayer : public RelevanceLayer {
public:
    explicit PassLayer(std::function<torch::Tensor(const torch::Tensor&)> apply) : m_apply(std::move(apply)) {}
    torch::Tensor forward(const torch::Tensor& x) override { return m_apply(x); }
    torch::Tensor relevance(const torch::Tensor& r) override { return r; }

private:
    std::function<torch::Tensor(const torch::Tensor&)> m_apply;
};

/// Layers without a rule (max-pool, flatten, the smoothing block's blur): their ordinary gradient carries the
/// relevance, as it does in Zennit.
class GradientLayer : public RelevanceLayer {
public:
    explicit GradientLayer(std::function<torch::Tensor(const torch::Tensor&)> apply) : m_apply(std::move(apply)) {}
    torch::Tensor forward(const torch::Tensor& x) override {
        m_input = x;
        return m_apply(x);
    }
    torch::Tensor relevance(const torch::Tensor& r) override {
        torch::AutoGradMode enabled(true);
        auto input = m_input.detach().requires_grad_(true);
        return torch::autograd::grad({m_apply(input)}, {input}, {r})[0];
    }

private:
    std::function<torch::Tensor(const torch::Tensor&)> m_apply;
    torch::Tensor m_input;
};

/// Global average pooling with Zennit's Norm rule: each input's share of its channel's mean.
class AveragePoolLayer : public RelevanceLayer {
public:
    torch::Tensor forward(const torch::Tensor& x) override {
        m_input = x;
        return x.mean({2, 3}, true);
    }
    torch::Tensor relevance(const torch::Tensor& r) override {
        const double positions = double(m_input.size(2) * m_input.size(3));
        return m_input * r / (positions * stabilized(m_input.mean({2, 3}, true), kStabilizer));
    }

private:
    torch::Tensor m_input;
};

class SequenceLayer : public RelevanceLayer {
public:
    explicit SequenceLayer(Layers layers = {}) : m_layers(std::move(layers)) {}
    Layers& layers() { return m_layers; }
    torch::Tensor forward(const torch::Tensor& x) override {
        auto y = x;
        for (auto& layer : m_layers) y = layer->forward(y);
        return y;
    }
    torch::Tensor relevance(const torch::Tensor& r) override {
        auto relevance = r;
        for (auto layer = m_layers.rbegin(); layer != m_layers.rend(); ++layer) relevance = (*layer)->relevance(relevance);
        return relevance;
    }

private:
    Layers m_layers;
};

/// A residual sum a(x) + b(x), canonised as Zennit's ResNet canonizer does: each summand gets relevance in
/// proportion to its value (the Norm rule), then its own branch carries it back to x.
class SumLayer : public RelevanceLayer {
public:
    SumLayer(std::unique_ptr<SequenceLayer> branch, std::unique_ptr<SequenceLayer> shortcut)
        : m_branch(std::move(branch)), m_shortcut(std::move(shortcut)) {}
    torch::Tensor forward(const torch::Tensor& x) override {
        m_branchOut = m_branch->forward(x);
        m_shortcutOut = m_shortcut->forward(x);
        return m_branchOut + m_shortcutOut;
    }
    torch::Tensor relevance(const torch::Tensor& r) override {
        const auto share = r / stabilized(m_branchOut + m_shortcutOut, kStabilizer);
        return m_branch->relevance(m_branchOut * share) + m_shortcut->relevance(m_shortcutOut * share);
    }

private:
    std::unique_ptr<SequenceLayer> m_branch, m_shortcut;
    torch::Tensor m_branchOut, m_shortcutOut;
};

/// Builds the relevance walk of a native network, giving each linear layer its composite's rule.
class WalkBuilder {
public:
    explicit WalkBuilder(const Composite& composite) : m_composite(composite) {}

    void addModule(const std::shared_ptr<nn::Module>& module, SequenceLayer& into, const std::string& name) {
        auto& layers = into.layers();
        if (auto conv = std::dynamic_pointer_cast<nn::Conv2dImpl>(module)) {
            layers.push_back(convolution(conv));
        } else if (auto linear = std::dynamic_pointer_cast<nn::LinearImpl>(module)) {
            layers.push_back(std::make_unique<LinearLayer>(
                [](const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) { return F::linear(x, w, b); }, linear->weight,
                linear->bias, ruleFor(m_composite.dense)));
        } else if (auto norm = std::dynamic_pointer_cast<nn::BatchNorm2dImpl>(module)) {
            auto* previous = layers.empty() ? nullptr : dynamic_cast<LinearLayer*>(layers.back().get());
            if (previous && m_lastWasConvolution) {
                previous->mergeBatchNorm(*norm);
            } else {
                layers.push_back(std::make_unique<PassLayer>([norm](const torch::Tensor& x) { return norm->forward(x); }));
            }
        } else if (auto functional = std::dynamic_pointer_cast<nn::FunctionalImpl>(module)) {
            // The only functional stages of the native architectures are their activations.
            layers.push_back(std::make_unique<PassLayer>([functional](const torch::Tensor& x) { return functional->forward(x); }));
        } else if (auto pool = std::dynamic_pointer_cast<nn::MaxPool2dImpl>(module)) {
            layers.push_back(std::make_unique<GradientLayer>([pool](const torch::Tensor& x) { return pool->forward(x); }));
        } else if (auto flatten = std::dynamic_pointer_cast<nn::FlattenImpl>(module)) {
            layers.push_back(std::make_unique<GradientLayer>([flatten](const torch::Tensor& x) { return flatten->forward(x); }));
        } else if (std::dynamic_pointer_cast<nn::AdaptiveAvgPool2dImpl>(module)) {
            layers.push_back(std::make_unique<AveragePoolLayer>());
        } else if (auto block = std::dynamic_pointer_cast<BasicBlockImpl>(module)) {
            addBasicBlock(*block, into);
        } else if (auto block = std::dynamic_pointer_cast<WideBlockImpl>(module)) {
            addWideBlock(*block, into);
        } else if (std::dynamic_pointer_cast<StageImpl>(module) || std::dynamic_pointer_cast<nn::SequentialImpl>(module)) {
            for (const auto& child : module->named_children()) addModule(child.value(), into, name + "." + child.key());
            return;
        } else {
            throw InputError("--method lrp", "no relevance rule for layer '" + name + "' (" + module->name() + ")");
        }
        m_lastWasConvolution = bool(std::dynamic_pointer_cast<nn::Conv2dImpl>(module));
    }

    void addSmoothingBlock(const SmoothingBlock& block, SequenceLayer& into) {
        auto branch = std::make_unique<SequenceLayer>();
        const auto smoothing = block.ptr();
        branch->layers().push_back(std::make_unique<GradientLayer>([smoothing](const torch::Tensor& x) { return smoothing->blur(x); }));
        addModule(smoothing->mix().ptr(), *branch, "mix");
        into.layers().push_back(std::make_unique<SumLayer>(std::move(branch), std::make_unique<SequenceLayer>()));
        m_lastWasConvolution = false;
    }

private:
    Rule ruleFor(const Rule& rule) {
        const bool first = !m_sawLinearLayer;
        m_sawLinearLayer = true;
        return first && m_composite.first ? *m_composite.first : rule;
    }

    std::unique_ptr<LinearLayer> convolution(const std::shared_ptr<nn::Conv2dImpl>& conv) {
        const auto options = F::Conv2dFuncOptions()
                                 .stride(conv->options.stride())
                                 .padding(conv->options.padding())
                                 .dilation(conv->options.dilation())
                                 .groups(conv->options.groups());
        return std::make_unique<LinearLayer>(
            [options](const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
                auto withBias = options;
                return F::conv2d(x, w, withBias.bias(b));
            },
            conv->weight, conv->options.bias() ? conv->bias : torch::Tensor(), ruleFor(m_composite.convolution));
    }

    void addBasicBlock(BasicBlockImpl& block, SequenceLayer& into) {
        auto branch = std::make_unique<SequenceLayer>();
        addModule(block.conv1.ptr(), *branch, "conv1");
        addModule(block.bn1.ptr(), *branch, "bn1");
        branch->layers().push_back(std::make_unique<PassLayer>(activation));
        addModule(block.conv2.ptr(), *branch, "conv2");
        addModule(block.bn2.ptr(), *branch, "bn2");
        auto shortcut = std::make_unique<SequenceLayer>();
        if (block.downsample) addModule(block.downsample.ptr(), *shortcut, "downsample");
        into.layers().push_back(std::make_unique<SumLayer>(std::move(branch), std::move(shortcut)));
        into.layers().push_back(std::make_unique<PassLayer>(activation));
        m_lastWasConvolution = false;
    }

    void addWideBlock(WideBlockImpl& block, SequenceLayer& into) {
        // The pre-activation a = relu(bn1 x) feeds both summands when there is a shortcut convolution; otherwise the
        // shortcut is x itself. Its batch norms follow sums, not convolutions, so they stay Pass layers.
        auto preActivation = [&block](SequenceLayer& sequence) {
            auto norm = block.bn1.ptr();
            sequence.layers().push_back(std::make_unique<PassLayer>([norm](const torch::Tensor& x) { return norm->forward(x); }));
            sequence.layers().push_back(std::make_unique<PassLayer>(activation));
        };
        auto branch = std::make_unique<SequenceLayer>();
        auto shortcut = std::make_unique<SequenceLayer>();
        if (block.shortcut) {
            preActivation(into);
        } else {
            preActivation(*branch);
        }
        m_lastWasConvolution = false;
        addModule(block.conv1.ptr(), *branch, "conv1");
        m_lastWasConvolution = false;  // bn2 is kept as a Pass layer, as the reference does for wide blocks
        auto norm = block.bn2.ptr();
        branch->layers().push_back(std::make_unique<PassLayer>([norm](const torch::Tensor& x) { return norm->forward(x); }));
        branch->layers().push_back(std::make_unique<PassLayer>(activation));
        addModule(block.conv2.ptr(), *branch, "conv2");
        if (block.shortcut) addModule(block.shortcut.ptr(), *shortcut, "shortcut");
        into.layers().push_back(std::make_unique<SumLayer>(std::move(branch), std::move(shortcut)));
        m_lastWasConvolution = false;
    }

    static torch::Tensor activation(const torch::Tensor& x) { return torch::relu(x); }

    Composite m_composite;
    bool m_sawLinearLayer = false;
    bool m_lastWasConvolution = false;
};

}  // namespace

void attributeLrp(AttributionTask& task) {
    auto* native = dynamic_cast<NativeClassifier*>(&task.model);
    if (!native) {
        throw InputError("--method lrp",
                         "LRP needs a model built by this program: a TorchScript file's layers are compiled, so no rule can "
                         "reach them (use Guided Backprop, DeepLIFT or a CAM instead)");
    }
    auto& network = *native->network();
    SequenceLayer walk;
    WalkBuilder builder(compositeFor(task.config));
    for (const auto& stage : network.stages()) {
        builder.addModule(stage.module.ptr(), walk, stage.name);
        if (const auto block = network.smoothingAfter(stage.name)) builder.addSmoothingBlock(block, walk);
    }
    const auto& mean = network.normalizationMean();
    const auto& std = network.normalizationStd();
    std::vector<torch::Tensor> parts;
    forEachChunk(task, task.pixels.size(0), task.config.maxBatch, [&](int64_t begin, int64_t end) {
        torch::NoGradGuard noGrad;
        const auto pixels = task.pixels.slice(0, begin, end);
        const auto logits = walk.forward((pixels - mean.to(pixels.dtype())) / std.to(pixels.dtype()));
        const auto seed = torch::zeros_like(logits).scatter_(1, task.targets.slice(0, begin, end).view({-1, 1}), 1.0);
        // The normalisation has no rule: its derivative 1/std carries the relevance to the pixels, as in Zennit.
        parts.push_back(walk.relevance(seed) / std.to(pixels.dtype()));
    });
    task.attributions = torch::cat(parts);
}

std::string describeLrp(const SaliencyConfig& config) {
    std::string text = "LRP, " + config.lrpRule + " rules";
    if (config.lrpRule == "epsilon") text += " (ε = " + std::to_string(config.lrpEpsilon).substr(0, 6) + ")";
    if (config.lrpRule == "gamma") text += " (γ = " + std::to_string(config.lrpGamma).substr(0, 6) + ")";
    return text;
}

}  // namespace sw
