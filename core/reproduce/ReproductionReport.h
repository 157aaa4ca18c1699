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
    double curvature = kNotMeasured;  ///< finite-difference gradient change at radius 0.01
    double hessian = kNotMeasured;    ///< largest input-Hessian eigenvalue of the softplus surrogate

    static constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();
};

/// One of the paper's claims (docs/REPRODUCTION.md) judged on our numbers.
struct ClaimVerdict {
    std::string claim;  ///< "1", "2", "3"
    std::string statement;
    std::string verdict;                ///< reproduced, partly reproduced, not reproduced
    std::vector<std::string> evidence;  ///< one line per comparison, with the numbers
};

/// One comparison a claim makes between two models with one method, e.g. claim 1's "VG, ε=0.100 vs natural:
/// Gini". It holds when (a − b)·direction + tolerance is positive (or zero, where a tolerance is given).
struct ClaimComparison {
    std::string claim;    ///< "1", "2", "3"
    std::string group;    ///< the pair compared, e.g. "VG, ε=0.100 vs natural"
    std::string measure;  ///< e.g. "Gini", "log₁₀ RIS", "accuracy"
    std::string method, modelA, modelB;
    double a = ReproductionRow::kNotMeasured, b = ReproductionRow::kNotMeasured;
    int direction = +1;       ///< +1: A should be higher; −1: lower
    double tolerance = 0.0;   ///< how much worse A may be (claim 3: Gini 0.02, accuracy 2 points)
    int decimals = 3;         ///< for printing
    bool isFraction = false;  ///< printed as a percentage
    std::string detailA;      ///< printed after A's value (claim 1: Gini's per-image interval)

    bool measured() const { return a == a && b == b; }
    /// The difference in the claimed direction, with the tolerance: > 0 (≥ 0 with a tolerance) = holds.
    double margin() const { return direction * (a - b) + tolerance; }
    bool holds() const { return measured() && (tolerance > 0 ? margin() >= 0 : margin() > 0); }
};

/// The comparisons claims 1–3 make on one seed's rows, in report order (claims 1 and 2: each adversarial
/// model against the natural one; claim 3: the Gaussian model against plain adversarial training at its ε).
std::vector<ClaimComparison> claimComparisons(const std::vector<ReproductionRow>& rows);

/// Reads every DIR/evaluations/MODEL.METHOD.json in plan order. Throws InputError naming a file that is
/// missing or malformed.
std::vector<ReproductionRow> readReproductionRows(const std::string& folder, const ReproducePlan& plan);

/// Claims 1–3 on one seed's rows: each comparison (claimComparisons) is a difference of means, printed with the
/// numbers (and, for claim 1's Gini, the 95 % per-image interval), so a reader can judge a narrow margin for
/// themselves. A comparison with a value that was not measured is listed as such and not counted.
std::vector<ClaimVerdict> judgeClaims(const std::vector<ReproductionRow>& rows);

/// summary.csv: one row per model and method, these columns (a seed study adds a leading `seed`).
constexpr const char* kSummaryCsvHeader =
    "model,role,epsilon,method,images,scored,accuracy,robust_accuracy,gini,gini_ci_low,gini_ci_high,log10_ris,ris_nan,log10_ros,ros_nan,"
    "ssim_mean,aopc_morf,aopc_lerf,curvature,hessian";
std::string summaryCsvFields(const ReproductionRow& row);

/// Writes DIR/summary.csv, DIR/curves.csv (io/CurvesCsv.h), DIR/claims.json,
/// DIR/report.md and DIR/report.html (figures from DIR/figures/ when present), each atomically.
void writeReproductionReport(const std::string& folder, const ReproducePlan& plan, const std::vector<ReproductionRow>& rows,
                             const std::vector<ClaimVerdict>& claims, const std::string& runNotes);

}  // namespace sw
