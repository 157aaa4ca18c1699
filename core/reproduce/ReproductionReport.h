#pragma once

#include <limits>
#include <string>
#include <vector>

#include "reproduce/ReproducePlan.h"

namespace sw {

/// One model and method of a reproduction, read back from its evaluation JSON (docs/METRICS.md).
struct ReproductionRow {
    std::string model, role, badge, method;
    double epsilon = 0.0;
    int64_t images = 0, scored = 0;
    // NaN = not measured (a metric left out, or no correctly classified input to score).
    double accuracy = kNotMeasured, robustAccuracy = kNotMeasured;
    double gini = kNotMeasured, giniLow = kNotMeasured, giniHigh = kNotMeasured;
    double risLog10 = kNotMeasured, rosLog10 = kNotMeasured;  ///< log₁₀ of the mean, as the authors report
    int64_t risNan = 0, rosNan = 0;
    double ssimMean = kNotMeasured;  ///< SSIM averaged over the noise levels that could be scored
    std::vector<double> sigma, ssim, ssimLow, ssimHigh;
    std::vector<int64_t> ssimN;  ///< inputs scored at each noise level
    double aopcMorf = kNotMeasured, aopcLerf = kNotMeasured;
    double curvature = kNotMeasured;

    static constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();
};

/// One of the paper's claims (docs/REPRODUCTION.md) judged on our numbers.
struct ClaimVerdict {
    std::string claim;  ///< "1", "2", "3"
    std::string statement;
    std::string verdict;                ///< reproduced, partly reproduced, not reproduced
    std::vector<std::string> evidence;  ///< one line per comparison, with the numbers
};

/// Reads every DIR/evaluations/MODEL.METHOD.json in plan order. Throws InputError naming a file that is
/// missing or malformed.
std::vector<ReproductionRow> readReproductionRows(const std::string& folder, const ReproducePlan& plan);

/// Claims 1–3 on the rows: each comparison is a difference of means, printed with the numbers (and, for Gini,
/// the 95 % intervals), so a reader can judge a narrow margin for themselves. A comparison with a value that
/// was not measured is listed as such and not counted.
std::vector<ClaimVerdict> judgeClaims(const std::vector<ReproductionRow>& rows);

/// Writes DIR/summary.csv, DIR/curves.csv (io/CurvesCsv.h), DIR/claims.json,
/// DIR/report.md and DIR/report.html (figures from DIR/figures/ when present), each atomically.
void writeReproductionReport(const std::string& folder, const ReproducePlan& plan, const std::vector<ReproductionRow>& rows,
                             const std::vector<ClaimVerdict>& claims, const std::string& runNotes);

}  // namespace sw
