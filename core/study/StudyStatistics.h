#pragma once

#include <cstdint>
#include <vector>

namespace sw {

/// The statistics of a human study's analysis (docs/STUDY.md), as SciPy computes them, with Boost.Math's
/// distributions for the p-values. Plain C++: no torch.

/// n, mean, median and a 95 % percentile-bootstrap interval of the mean (`resamples` resamples, seeded).
struct RatingSummary {
    int64_t n = 0;
    double mean = 0.0;
    double median = 0.0;
    double ciLow = 0.0;
    double ciHigh = 0.0;
};
RatingSummary summarizeRatings(const std::vector<double>& values, uint64_t seed = 0, int resamples = 2000);

/// Ranks 1…n with ties given their average rank (SciPy's rankdata, method "average").
std::vector<double> averageRanks(const std::vector<double>& values);

/// Friedman's test across conditions, as scipy.stats.friedmanchisquare: `measurements[c][b]` is block b
/// (a participant's mean rating) under condition c. The statistic is corrected for ties; the p-value is
/// the χ² tail with (conditions − 1) degrees of freedom. Throws InputError for fewer than three conditions
/// or blocks of unequal length.
struct FriedmanResult {
    double statistic = 0.0;
    double pValue = 1.0;
    int degreesOfFreedom = 0;
};
FriedmanResult friedmanTest(const std::vector<std::vector<double>>& measurements);

/// Wilcoxon's signed-rank test of paired samples, as scipy.stats.wilcoxon with its defaults (1.10): zero
/// differences dropped ("wilcox"), two-sided, no continuity correction; the exact null distribution for
/// up to 50 pairs without zeros (with ties too, read at W+ rounded down, as SciPy 1.10 does), else the
/// normal approximation with the tie correction. The
/// statistic is min(W+, W−). The effect size is the matched-pairs rank-biserial correlation
/// (W+ − W−) / (W+ + W−) (Kerby 2014), positive when x tends to exceed y.
struct WilcoxonResult {
    double statistic = 0.0;
    double pValue = 1.0;
    int64_t pairs = 0;  ///< non-zero differences used
    bool exact = false;
    double rankBiserial = 0.0;
};
WilcoxonResult wilcoxonSignedRank(const std::vector<double>& x, const std::vector<double>& y);

/// Holm's step-down adjustment of several p-values (in the given order): each is multiplied by the number
/// of hypotheses not yet rejected, kept monotone, and capped at 1.
std::vector<double> holmAdjust(const std::vector<double>& pValues);

}  // namespace sw
