#include "metrics/SummaryStatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace sw {

nlohmann::json SummaryStatistics::toJson(bool withLog10) const {
    nlohmann::json json = {{"mean", mean}, {"median", median}, {"ci95", {ci95Low, ci95High}}, {"n", count}};
    if (withLog10) {
        json["log10_mean"] = log10Mean;
        json["nan_count"] = nanCount;
    }
    return json;
}

SummaryStatistics summarize(const std::vector<double>& values, uint64_t seed, int resamples) {
    SummaryStatistics summary;
    std::vector<double> finite;
    for (const double value : values) {
        if (std::isnan(value))
            ++summary.nanCount;
        else
            finite.push_back(value);
    }
    summary.count = int64_t(finite.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (finite.empty()) {
        summary.mean = summary.median = summary.ci95Low = summary.ci95High = summary.log10Mean = nan;
        return summary;
    }
    const auto n = finite.size();
    summary.mean = std::accumulate(finite.begin(), finite.end(), 0.0) / double(n);
    summary.log10Mean = summary.mean > 0 ? std::log10(summary.mean) : nan;
    std::vector<double> sorted = finite;
    std::sort(sorted.begin(), sorted.end());
    summary.median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    std::mt19937_64 random(seed);
    std::vector<double> means(static_cast<size_t>(resamples));
    for (auto& resampledMean : means) {
        double total = 0.0;
        for (size_t i = 0; i < n; ++i) total += finite[random() % n];
        resampledMean = total / double(n);
    }
    std::sort(means.begin(), means.end());
    const auto at = [&](double q) { return means[std::min(means.size() - 1, size_t(q * double(means.size())))]; };
    summary.ci95Low = at(0.025);
    summary.ci95High = at(0.975);
    return summary;
}

}  // namespace sw
