#pragma once

#include <cstdint>
#include <vector>

namespace sw {

/// A value measured once per training seed, summarised across the seeds: the spread that training-to-
/// training variation adds (the per-image bootstrap intervals of SummaryStatistics are within one model).
struct AcrossSeeds {
    int64_t count = 0;  ///< seeds with a finite value
    double mean = 0.0;
    double sd = 0.0;      ///< sample standard deviation (n − 1)
    double ciLow = 0.0;   ///< 95 % Student-t interval of the mean, n − 1 degrees of freedom
    double ciHigh = 0.0;  ///< (NaN with fewer than two seeds)
};

/// NaN values (not measured in that seed) are left out.
AcrossSeeds acrossSeeds(const std::vector<double>& values);

/// The 0.975 quantile of Student's t with `degreesOfFreedom` ≥ 1 (tabulated to 30, then a Cornish–Fisher
/// expansion accurate to 1e-4).
double studentT975(int degreesOfFreedom);

}  // namespace sw
