#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/CurvesCsv.h"
#include "metrics/SeedStatistics.h"
#include "reproduce/ReproductionReport.h"

namespace sw {

/// One claim comparison followed across training seeds. The difference a − b is taken within each seed
/// (a paired comparison), then summarised over the seeds with a 95 % Student-t interval.
struct SeedComparison {
    ClaimComparison comparison;  ///< claim, pair, measure, direction and tolerance (values of the first seed)
    std::vector<uint64_t> seeds;
    std::vector<double> a, b;  ///< per seed; NaN = not measured in that seed
    AcrossSeeds difference;    ///< of a − b
    int seedsMeasured = 0;
    int seedsAgreeing = 0;  ///< seeds in which the comparison holds
    /// reproduced: holds in the mean and the interval excludes zero (in the claimed direction, after the
    /// tolerance); direction only: holds in the mean, the interval does not exclude zero; not reproduced;
    /// not measured.
    std::string verdict;
    /// The interval of the margin (difference in the claimed direction, plus the tolerance): what must lie
    /// above zero for "reproduced".
    double marginLow() const;
    double marginHigh() const;
};

struct SeedClaimVerdict {
    std::string claim, statement;
    std::string verdict;  ///< the weakest of its comparisons' verdicts (not tested when none was measured)
    std::string tally;    ///< e.g. "4 of 6 comparisons reproduced, 2 direction only, 0 not reproduced"
    std::vector<SeedComparison> comparisons;
};

/// A seed study's curves (models "seed-N/NAME", as its curves.csv holds them) pooled per model, method,
/// measure and σ: the mean over seeds of each seed's mean, with a 95 % Student-t interval across the seeds
/// (the mean itself where only one seed has a value); n = the number of seeds. Models keep their first order.
std::vector<CurveRow> curvesAcrossSeeds(const std::vector<CurveRow>& perSeed);

/// Claims 1–3 across seeds: `rowsPerSeed[i]` are the rows of seed `seeds[i]`.
std::vector<SeedClaimVerdict> judgeClaimsAcrossSeeds(const std::vector<std::vector<ReproductionRow>>& rowsPerSeed,
                                                     const std::vector<uint64_t>& seeds);

/// Writes FOLDER/summary.csv (a `seed` column, then summary.csv's), FOLDER/curves.csv (model `seed-N/NAME`),
/// FOLDER/claims.json, FOLDER/report.md and FOLDER/report.html (figures from FOLDER/figures/figures.json), atomically.
void writeSeedStudyReport(const std::string& folder, const ReproducePlan& plan, const std::vector<uint64_t>& seeds,
                          const std::vector<std::vector<ReproductionRow>>& rowsPerSeed, const std::vector<SeedClaimVerdict>& claims);

}  // namespace sw
