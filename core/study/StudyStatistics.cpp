#include "study/StudyStatistics.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "study/TrialOrder.h"
#include "util/InputError.h"

namespace sw {

namespace {

double mean(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size()); }

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t half = values.size() / 2;
    return values.size() % 2 == 1 ? values[half] : 0.5 * (values[half - 1] + values[half]);
}

/// Σ (t³ − t) over the groups of tied values (t values each): the tie term of both tests.
double tieTerm(const std::vector<double>& values) {
    std::map<double, int64_t> counts;
    for (const double value : values) ++counts[value];
    double term = 0.0;
    for (const auto& [value, t] : counts) term += double(t) * double(t) * double(t) - double(t);
    return term;
}

/// The number of ways each W+ = 0 … n(n+1)/2 arises from n signed ranks 1…n (all 2ⁿ sign patterns).
std::vector<double> signedRankCounts(int64_t n) {
    std::vector<double> counts(size_t(n * (n + 1) / 2 + 1), 0.0);
    counts[0] = 1.0;
    for (int64_t rank = 1; rank <= n; ++rank) {
        for (int64_t sum = int64_t(counts.size()) - 1; sum >= rank; --sum) counts[size_t(sum)] += counts[size_t(sum - rank)];
    }
    return counts;
}

}  // namespace

std::vector<double> averageRanks(const std::vector<double>& values) {
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (size_t start = 0; start < order.size();) {
        size_t end = start + 1;
        while (end < order.size() && values[order[end]] == values[order[start]]) ++end;
        const double average = 0.5 * double(start + 1 + end);  // ranks start+1 … end, averaged
        for (size_t i = start; i < end; ++i) ranks[order[i]] = average;
        start = end;
    }
    return ranks;
}

RatingSummary summarizeRatings(const std::vector<double>& values, uint64_t seed, int resamples) {
    RatingSummary summary;
    summary.n = int64_t(values.size());
    if (values.empty()) return summary;
    summary.mean = mean(values);
    summary.median = median(values);
    std::vector<double> means;
    uint64_t state = seed;
    std::vector<double> resample(values.size());
    for (int r = 0; r < resamples; ++r) {
        for (auto& value : resample) value = values[size_t(portableDraw(state, values.size()))];
        means.push_back(mean(resample));
    }
    std::sort(means.begin(), means.end());
    // Percentile interval: the 2.5th and 97.5th percentiles, interpolated linearly (NumPy's default).
    auto percentile = [&](double q) {
        const double position = q * double(means.size() - 1);
        const size_t below = size_t(std::floor(position));
        const size_t above = std::min(below + 1, means.size() - 1);
        return means[below] + (position - double(below)) * (means[above] - means[below]);
    };
    summary.ciLow = percentile(0.025);
    summary.ciHigh = percentile(0.975);
    return summary;
}

FriedmanResult friedmanTest(const std::vector<std::vector<double>>& measurements) {
    const size_t k = measurements.size();
    if (k < 3) throw InputError("Friedman test", "needs at least three conditions (use the Wilcoxon test for two)");
    const size_t n = measurements.front().size();
    for (const auto& condition : measurements) {
        if (condition.size() != n) throw InputError("Friedman test", "every condition needs one value per participant");
    }
    if (n < 1) throw InputError("Friedman test", "needs at least one participant");
    std::vector<double> rankSums(k, 0.0);
    double ties = 0.0;
    for (size_t block = 0; block < n; ++block) {
        std::vector<double> row(k);
        for (size_t c = 0; c < k; ++c) row[c] = measurements[c][block];
        const auto ranks = averageRanks(row);
        for (size_t c = 0; c < k; ++c) rankSums[c] += ranks[c];
        ties += tieTerm(row);
    }
    double sumOfSquares = 0.0;
    for (const double sum : rankSums) sumOfSquares += sum * sum;
    const double kk = double(k), nn = double(n);
    const double correction = 1.0 - ties / (kk * (kk * kk - 1.0) * nn);
    FriedmanResult result;
    result.degreesOfFreedom = int(k) - 1;
    result.statistic = (12.0 / (kk * nn * (kk + 1.0)) * sumOfSquares - 3.0 * nn * (kk + 1.0)) / correction;
    const boost::math::chi_squared distribution(double(result.degreesOfFreedom));
    result.pValue = result.statistic > 0 ? boost::math::cdf(boost::math::complement(distribution, result.statistic)) : 1.0;
    return result;
}

WilcoxonResult wilcoxonSignedRank(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size()) throw InputError("Wilcoxon test", "the two samples must be paired (the same length)");
    std::vector<double> differences;
    size_t zeros = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double d = x[i] - y[i];
        if (d == 0.0)
            ++zeros;
        else
            differences.push_back(d);
    }
    WilcoxonResult result;
    result.pairs = int64_t(differences.size());
    if (differences.empty()) return result;  // no evidence either way: p = 1
    std::vector<double> magnitudes;
    for (const double d : differences) magnitudes.push_back(std::abs(d));
    const auto ranks = averageRanks(magnitudes);
    double plus = 0.0, minus = 0.0;
    for (size_t i = 0; i < differences.size(); ++i) (differences[i] > 0 ? plus : minus) += ranks[i];
    result.statistic = std::min(plus, minus);
    result.rankBiserial = (plus - minus) / (plus + minus);
    const double ties = tieTerm(magnitudes);
    const double n = double(differences.size());
    // SciPy 1.10 decides on the sample before zeros are dropped: zeros rule the exact distribution out, ties
    // do not. With ties it still reads the untied distribution at W+ rounded down (int(r_plus)); so do we, to
    // give Debian's SciPy's numbers (docs/STUDY.md says so, and that newer SciPy permutes instead).
    result.exact = x.size() <= 50 && zeros == 0;
    if (result.exact) {
        const auto counts = signedRankCounts(result.pairs);
        const double total = std::ldexp(1.0, int(result.pairs));
        const auto observed = size_t(std::floor(plus));
        if (observed == (counts.size() - 1) / 2) {
            result.pValue = 1.0;  // W+ at the centre of its distribution
        } else {
            double less = 0.0, greater = 0.0;
            for (size_t w = 0; w < counts.size(); ++w) {
                if (w <= observed) less += counts[w];
                if (w >= observed) greater += counts[w];
            }
            result.pValue = std::min(1.0, 2.0 * std::min(less, greater) / total);
        }
        return result;
    }
    const double expected = n * (n + 1.0) / 4.0;
    const double variance = (n * (n + 1.0) * (2.0 * n + 1.0) - 0.5 * ties) / 24.0;
    const double z = (result.statistic - expected) / std::sqrt(variance);
    result.pValue = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::abs(z))));
    return result;
}

std::vector<double> holmAdjust(const std::vector<double>& pValues) {
    const size_t m = pValues.size();
    std::vector<size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pValues[a] < pValues[b]; });
    std::vector<double> adjusted(m);
    double running = 0.0;
    for (size_t rank = 0; rank < m; ++rank) {
        running = std::max(running, std::min(1.0, double(m - rank) * pValues[order[rank]]));
        adjusted[order[rank]] = running;
    }
    return adjusted;
}

}  // namespace sw
