#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace sw {

/// An L∞ adversary in pixel units (images in [0, 1]). Plain data: safe to include from the UI.
struct AttackConfig {
    std::string kind = "none";  ///< none, pgd, fgsm-rs (Wong et al. 2020) or trades
    double epsilon = 0.1;       ///< L∞ radius
    int64_t steps = 40;         ///< PGD/TRADES iterations (fgsm-rs always takes one)
    double stepSize = 0.0;      ///< 0 = default: ε/10 for pgd and trades, 1.25·ε for fgsm-rs
    bool randomStart = true;
    double adversarialFraction = 1.0;  ///< training loss = (1−f)·CE(clean) + f·CE(adversarial)
    double tradesBeta = 6.0;

    bool enabled() const { return kind != "none" && !kind.empty(); }
    double resolvedStepSize() const;
    /// Throws InputError when a value is out of range or the kind is unknown.
    void validate() const;

    nlohmann::json toJson() const;
    static AttackConfig fromJson(const nlohmann::json& json);
};

}  // namespace sw
