#pragma once

#include <string>
#include <vector>

#include "jobs/ReproducePlan.h"

namespace sw {

/// One model and method of a reproduction, read back from its evaluation JSON (DESIGN.md §5).
struct ReproductionRow {
    std::string model, role, badge, method;
    double epsilon = 0.0;
    int64_t images = 0, scored = 0;
    double accuracy = 0.0, robustAccuracy = 0.0;
    double gini = 0.0, giniLow = 0.0, giniHigh = 0.0;
    double risLog10 = 0.0, rosLog10 = 0.0;     ///< log₁₀ of the mean, as the authors report
    int64_t risNan = 0, rosNan = 0;
    double ssimMean = 0.0;                     ///< SSIM averaged over the noise levels
    std::vector<double> sigma, ssim, ssimLow, ssimHigh;
    double aopcMorf = 0.0, aopcLerf = 0.0;
    double curvature = 0.0;
};

/// One of the paper's claims (DESIGN.md §1) judged on our numbers.
struct ClaimVerdict {
    std::string claim;                    ///< "1", "2", "3"
    std::string statement;
    std::string verdict;                  ///< reproduced, partly reproduced, not reproduced
    std::vector<std::string> evidence;    ///< one line per comparison, with the numbers
};

/// Reads every DIR/evaluations/MODEL.METHOD.json in plan order. Throws InputError naming a file that is
/// missing or malformed.
std::vector<ReproductionRow> readReproductionRows(const std::string& folder, const ReproducePlan& plan);

/// Claims 1–3 on the rows: each comparison is a difference of means, printed with the numbers (and, for Gini,
/// the 95 % intervals), so a reader can judge a narrow margin for themselves.
std::vector<ClaimVerdict> judgeClaims(const std::vector<ReproductionRow>& rows);

/// Writes DIR/summary.csv, DIR/curves.csv (model, method, sigma, ssim, ci_low, ci_high), DIR/claims.json,
/// DIR/report.md and DIR/report.html (figures from DIR/figures/ when present), each atomically.
void writeReproductionReport(const std::string& folder, const ReproducePlan& plan, const std::vector<ReproductionRow>& rows,
                             const std::vector<ClaimVerdict>& claims, const std::string& runNotes);

}  // namespace sw
