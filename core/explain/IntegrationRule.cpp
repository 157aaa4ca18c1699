#include "explain/IntegrationRule.h"

#include <cmath>

#include "util/InputError.h"

namespace sw {

namespace {

/// Nodes and weights on [−1, 1] by Newton's method on the Legendre polynomial Pₙ, ascending like numpy's leggauss.
void gaussLegendre(int64_t n, std::vector<double>& nodes, std::vector<double>& weights) {
    nodes.assign(size_t(n), 0.0);
    weights.assign(size_t(n), 0.0);
    for (int64_t i = 0; i < n; ++i) {
        double x = std::cos(M_PI * (double(i) + 0.75) / (double(n) + 0.5));
        double derivative = 0.0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double previous = 1.0, current = x;  // P₀, P₁
            for (int64_t k = 2; k <= n; ++k) {
                const double next = ((2.0 * double(k) - 1.0) * x * current - (double(k) - 1.0) * previous) / double(k);
                previous = current;
                current = next;
            }
            if (n == 1) {
                current = x;
                previous = 1.0;
            }
            derivative = double(n) * (x * current - previous) / (x * x - 1.0);
            const double step = current / derivative;
            x -= step;
            if (std::abs(step) < 1e-16) break;
        }
        nodes[size_t(n - 1 - i)] = x;
        weights[size_t(n - 1 - i)] = 2.0 / ((1.0 - x * x) * derivative * derivative);
    }
}

}  // namespace

IntegrationRule makeIntegrationRule(const std::string& name, int64_t steps) {
    IntegrationRule rule;
    const double n = double(steps);
    if (name == "gausslegendre") {
        std::vector<double> nodes, weights;
        gaussLegendre(steps, nodes, weights);
        for (int64_t i = 0; i < steps; ++i) {
            rule.alphas.push_back(0.5 * (nodes[size_t(i)] + 1.0));
            rule.weights.push_back(0.5 * weights[size_t(i)]);
        }
        return rule;
    }
    if (name == "riemann_trapezoid") {
        if (steps < 2) throw InputError("--ig-steps " + std::to_string(steps), "the trapezoid rule needs at least 2 steps");
        for (int64_t i = 0; i < steps; ++i) {
            rule.alphas.push_back(double(i) / (n - 1.0));
            // Captum's trapezoid: step 1/n with both ends halved (the weights sum to (n−1)/n, as there).
            rule.weights.push_back((i == 0 || i == steps - 1) ? 0.5 / n : 1.0 / n);
        }
        return rule;
    }
    double offset;
    if (name == "riemann_left")
        offset = 0.0;
    else if (name == "riemann_right")
        offset = 1.0;
    else if (name == "riemann_middle")
        offset = 0.5;
    else
        throw InputError("--ig-rule " + name, "unknown integration rule");
    for (int64_t i = 0; i < steps; ++i) {
        rule.alphas.push_back((double(i) + offset) / n);
        rule.weights.push_back(1.0 / n);
    }
    return rule;
}

}  // namespace sw
