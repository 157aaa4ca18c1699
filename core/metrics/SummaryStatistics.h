#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace sw {

/// How a per-sample measure is reported: NaN values (e.g. RIS where a perturbation changed the prediction)
/// are counted and left out of every statistic.
struct SummaryStatistics {
    int64_t count = 0;  ///< finite values used
    int64_t nanCount = 0;
    double mean = 0.0;
    double median = 0.0;
    double ci95Low = 0.0;  ///< 95 % percentile-bootstrap interval of the mean
    double ci95High = 0.0;
    double log10Mean = 0.0;

    nlohmann::json toJson(bool withLog10 = false) const;
};

/// `resamples` bootstrap draws of the mean, seeded, so reports are reproducible.
SummaryStatistics summarize(const std::vector<double>& values, uint64_t seed = 0, int resamples = 1000);

}  // namespace sw
