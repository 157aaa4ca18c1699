#include "train/AdversarialAttack.h"

#include <torch/autograd.h>
#include <torch/nn/functional/loss.h>

#include "util/Feedback.h"
#include "util/InputError.h"

namespace sw {

double AttackConfig::resolvedStepSize() const {
    if (stepSize > 0.0) return stepSize;
    return kind == "fgsm-rs" ? 1.25 * epsilon : epsilon / 10.0;
}

void AttackConfig::validate() const {
    if (!enabled()) return;
    if (kind != "pgd" && kind != "fgsm-rs" && kind != "trades") {
        throw InputError("--adv " + kind, "expected none, pgd, fgsm-rs or trades");
    }
    if (!(epsilon > 0.0 && epsilon <= 1.0)) throw InputError("--eps " + std::to_string(epsilon), "ε must be in (0, 1]");
    if (steps < 1) throw InputError("--pgd-steps " + std::to_string(steps), "needs at least one step");
    if (!(adversarialFraction >= 0.0 && adversarialFraction <= 1.0)) {
        throw InputError("--adv-fraction " + std::to_string(adversarialFraction), "must be in [0, 1]");
    }
}

nlohmann::json AttackConfig::toJson() const {
    if (!enabled()) return {{"kind", "none"}};
    nlohmann::json json = {{"kind", kind},
                           {"epsilon", epsilon},
                           {"step_size", resolvedStepSize()},
                           {"steps", kind == "fgsm-rs" ? 1 : steps},
                           {"random_start", randomStart},
                           {"adversarial_fraction", adversarialFraction}};
    if (kind == "trades") json["trades_beta"] = tradesBeta;
    return json;
}

AttackConfig AttackConfig::fromJson(const nlohmann::json& json) {
    AttackConfig config;
    config.kind = json.value("kind", std::string("none"));
    config.epsilon = json.value("epsilon", config.epsilon);
    config.steps = json.value("steps", config.steps);
    config.stepSize = json.value("step_size", config.stepSize);
    config.randomStart = json.value("random_start", config.randomStart);
    config.adversarialFraction = json.value("adversarial_fraction", config.adversarialFraction);
    config.tradesBeta = json.value("trades_beta", config.tradesBeta);
    return config;
}

namespace {

torch::Tensor inputGradient(const torch::Tensor& loss, const torch::Tensor& input) { return torch::autograd::grad({loss}, {input})[0]; }

torch::Tensor project(const torch::Tensor& candidate, const torch::Tensor& pixels, double epsilon) {
    return torch::min(torch::max(candidate, pixels - epsilon), pixels + epsilon).clamp(0.0, 1.0);
}

}  // namespace

torch::Tensor adversarialExamples(const LogitsFunction& logitsOf, const torch::Tensor& pixels, const torch::Tensor& labels,
                                  const AttackConfig& config, torch::Generator& generator, const BatchShard& rows,
                                  const Feedback* feedback) {
    const auto epsilon = config.epsilon;
    const auto alpha = config.resolvedStepSize();
    const auto clean = pixels.detach();
    torch::Tensor adversarial;
    torch::Tensor cleanProbabilities;
    // The draw for the whole global batch, of which these are the rows.
    auto drawShape = clean.sizes().vec();
    if (rows.globalRows > 0) drawShape[0] = rows.globalRows;
    auto ourRows = [&](const torch::Tensor& draw) {
        return rows.globalRows > 0 ? draw.slice(0, rows.firstRow, rows.globalRows, rows.rowStride) : draw;
    };
    if (config.kind == "trades") {
        torch::NoGradGuard noGrad;
        cleanProbabilities = torch::softmax(logitsOf(clean), 1).detach();
        adversarial = clean + 0.001 * ourRows(torch::randn(drawShape, generator)).to(clean.device());
    } else if (config.randomStart) {
        adversarial = clean + ourRows(torch::empty(drawShape).uniform_(-epsilon, epsilon, generator)).to(clean.device());
    } else {
        adversarial = clean.clone();
    }
    adversarial = project(adversarial, clean, epsilon);
    const int64_t steps = config.kind == "fgsm-rs" ? 1 : config.steps;
    for (int64_t step = 0; step < steps; ++step) {
        throwIfCancelled(feedback);
        adversarial.requires_grad_(true);
        const auto logits = logitsOf(adversarial);
        torch::Tensor loss;
        if (config.kind == "trades") {
            loss = torch::kl_div(torch::log_softmax(logits, 1), cleanProbabilities, at::Reduction::Sum);
        } else {
            loss = torch::nn::functional::cross_entropy(logits, labels);
        }
        const auto gradient = inputGradient(loss, adversarial);
        adversarial = project(adversarial.detach() + alpha * gradient.sign(), clean, epsilon);
    }
    return adversarial.detach();
}

}  // namespace sw
