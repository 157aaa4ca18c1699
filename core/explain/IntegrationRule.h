#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sw {

/// Points α ∈ [0, 1] and weights for ∫₀¹ g(α) dα ≈ Σ wᵢ g(αᵢ), as Captum's approximation methods define them.
struct IntegrationRule {
    std::vector<double> alphas;
    std::vector<double> weights;
};

/// "gausslegendre" (Gauss–Legendre nodes mapped to [0, 1]), "riemann_left", "riemann_right",
/// "riemann_middle" or "riemann_trapezoid", with `steps` points.
IntegrationRule makeIntegrationRule(const std::string& name, int64_t steps);

}  // namespace sw
