#include "reproduce/ReproductionReport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/CurvesCsv.h"
#include "io/ReportDocument.h"
#include "reproduce/ReproductionFolder.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

double number(const nlohmann::json& json, const char* key) {
    const auto found = json.find(key);
    return found != json.end() && found->is_number() ? found->get<double>() : std::nan("");
}

/// A JSON number, or NaN for null (an empty summary: no input was correctly classified).
double numberOrNan(const nlohmann::json& value) { return value.is_number() ? value.get<double>() : std::nan(""); }

std::vector<double> numbersOrNan(const nlohmann::json& values) {
    std::vector<double> numbers;
    for (const auto& value : values) numbers.push_back(numberOrNan(value));
    return numbers;
}

std::string percent(double fraction) { return std::isnan(fraction) ? "—" : fixedDecimals(100.0 * fraction, 1) + " %"; }

const ReproductionRow* find(const std::vector<ReproductionRow>& rows, const std::string& role, const std::string& method,
                            double epsilon = -1.0) {
    for (const auto& row : rows) {
        if (row.role == role && row.method == method && (epsilon < 0 || std::abs(row.epsilon - epsilon) < 1e-12)) return &row;
    }
    return nullptr;
}

std::string upper(std::string text) {
    for (auto& c : text) c = char(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

/// The paper's three claims, as the report states them (docs/REPRODUCTION.md).
const char* const kClaimStatements[] = {
    "Adversarial training makes VG and IG maps sparser (higher Gini) and more input-stable (lower RIS, higher SSIM "
    "between maps of clean and noisy inputs).",
    "…but less output-stable: higher ROS.",
    "Adversarial training with the Gaussian smoothing block keeps the sparsity (Gini not lower by more than 0.02) and "
    "improves both RIS and ROS over plain adversarial training at the same ε, at little cost in accuracy (at most 2 "
    "points)."};

/// One comparison of a claim: counted when both sides were measured.
struct Tally {
    int held = 0, total = 0, unmeasured = 0;
    /// "✓", "✗" or "(not measured)"; `holds` is evaluated only when both values are numbers.
    std::string check(double a, double b, bool holds) {
        if (std::isnan(a) || std::isnan(b)) {
            ++unmeasured;
            return " (not measured)";
        }
        ++total;
        held += holds;
        return holds ? " ✓" : " ✗";
    }
};

ClaimVerdict verdictFrom(ClaimVerdict claim, const Tally& tally) {
    const int held = tally.held, total = tally.total;
    if (total == 0)
        claim.verdict = "not tested (missing models)";
    else if (held == total)
        claim.verdict = "reproduced";
    else if (2 * held >= total)
        claim.verdict = "partly reproduced";
    else
        claim.verdict = "not reproduced";
    std::string headline = std::to_string(held) + " of " + std::to_string(total) + " comparisons hold.";
    if (tally.unmeasured > 0) headline += " " + std::to_string(tally.unmeasured) + " could not be made (a value was not measured).";
    claim.evidence.insert(claim.evidence.begin(), headline);
    return claim;
}

}  // namespace

std::vector<ReproductionRow> readReproductionRows(const std::string& folder, const ReproducePlan& plan) {
    std::vector<ReproductionRow> rows;
    for (const auto& model : plan.models) {
        for (const auto& method : plan.methods) {
            const fs::path path = ReproductionFolder(folder).evaluationFile(model.name, method);
            std::ifstream file(path);
            if (!file) throw InputError(path.string(), "missing (the evaluation did not finish)");
            nlohmann::json document;
            try {
                file >> document;
            } catch (const std::exception& error) {
                throw InputError(path.string(), std::string("not valid JSON: ") + error.what());
            }
            ReproductionRow row;
            try {
                const auto& summary = document.at("summary");
                row.model = model.name;
                row.role = model.role;
                row.epsilon = model.epsilon;
                row.method = method;
                row.badge = document.at("model").value("badge", "");
                row.images = document.value("n_total", int64_t(0));
                row.scored = document.value("n_scored", int64_t(0));
                row.accuracy = number(summary, "accuracy");
                row.robustAccuracy = number(summary, "robust_accuracy");
                if (summary.contains("sparseness")) {
                    const auto& gini = summary["sparseness"];
                    row.gini = number(gini, "mean");
                    row.giniLow = numberOrNan(gini.at("ci95").at(0));
                    row.giniHigh = numberOrNan(gini.at("ci95").at(1));
                }
                for (auto [key, log10, nanCount] :
                     {std::tuple{"ris", &row.risLog10, &row.risNan}, std::tuple{"ros", &row.rosLog10, &row.rosNan}}) {
                    if (!summary.contains(key)) continue;
                    *log10 = number(summary[key], "log10_mean");
                    *nanCount = summary[key].value("nan_count", int64_t(0));
                }
                if (summary.contains("ssim")) {
                    const auto& ssim = summary["ssim"];
                    row.sigma = numbersOrNan(ssim.at("sigma"));
                    row.ssim = numbersOrNan(ssim.at("mean"));
                    for (const auto& n : ssim.at("n")) row.ssimN.push_back(n.get<int64_t>());
                    for (const auto& interval : ssim.at("ci95")) {
                        row.ssimLow.push_back(numberOrNan(interval.at(0)));
                        row.ssimHigh.push_back(numberOrNan(interval.at(1)));
                    }
                    if (row.ssimLow.size() != row.sigma.size() || row.ssim.size() != row.sigma.size() ||
                        row.ssimN.size() != row.sigma.size()) {
                        throw InputError(path.string(), "the SSIM curve's sigma, mean, ci95 and n differ in length");
                    }
                    double total = 0.0;
                    int finite = 0;
                    for (const double value : row.ssim) {
                        if (std::isfinite(value)) total += value, ++finite;
                    }
                    row.ssimMean = finite == 0 ? std::nan("") : total / double(finite);
                }
                if (summary.contains("road")) {
                    row.aopcMorf = number(summary["road"].at("morf"), "aopc");
                    row.aopcLerf = number(summary["road"].at("lerf"), "aopc");
                }
                if (summary.contains("curvature")) row.curvature = number(summary["curvature"], "mean");
                if (summary.contains("hessian")) row.hessian = number(summary["hessian"], "mean");
            } catch (const nlohmann::json::exception& error) {
                throw InputError(path.string(), std::string("unexpected evaluation layout: ") + error.what());
            }
            rows.push_back(row);
        }
    }
    return rows;
}

std::string summaryCsvFields(const ReproductionRow& row) {
    std::ostringstream line;
    line.precision(8);
    line << row.model << ',' << row.role << ',' << row.epsilon << ',' << row.method << ',' << row.images << ',' << row.scored << ','
         << row.accuracy << ',' << row.robustAccuracy << ',' << row.gini << ',' << row.giniLow << ',' << row.giniHigh << ',' << row.risLog10
         << ',' << row.risNan << ',' << row.rosLog10 << ',' << row.rosNan << ',' << row.ssimMean << ',' << row.aopcMorf << ','
         << row.aopcLerf << ',' << row.curvature << ',' << row.hessian;
    return line.str();
}

std::vector<ClaimComparison> claimComparisons(const std::vector<ReproductionRow>& rows) {
    std::vector<ClaimComparison> comparisons;
    std::vector<std::string> methods;
    for (const auto& row : rows) {
        if (std::find(methods.begin(), methods.end(), row.method) == methods.end()) methods.push_back(row.method);
    }
    const auto add = [&](const char* claim, const std::string& group, const std::string& measure, const ReproductionRow& a,
                         const ReproductionRow& b, double ReproductionRow::*value, int direction, double tolerance, int decimals) {
        ClaimComparison comparison;
        comparison.claim = claim;
        comparison.group = group;
        comparison.measure = measure;
        comparison.method = a.method;
        comparison.modelA = a.model;
        comparison.modelB = b.model;
        comparison.a = a.*value;
        comparison.b = b.*value;
        comparison.direction = direction;
        comparison.tolerance = tolerance;
        comparison.decimals = decimals;
        comparison.isFraction = value == &ReproductionRow::accuracy;
        if (value == &ReproductionRow::gini && claim == std::string("1")) {
            comparison.detailA = " [" + fixedDecimals(a.giniLow, 3) + ", " + fixedDecimals(a.giniHigh, 3) + "]";
        }
        comparisons.push_back(comparison);
    };
    // Claims 1 and 2: every adversarial model against the natural one.
    for (const auto& method : methods) {
        const auto* natural = find(rows, "natural", method);
        if (!natural) continue;
        for (const auto& row : rows) {
            if (row.role != "adversarial" || row.method != method) continue;
            const std::string group = upper(method) + ", ε=" + fixedDecimals(row.epsilon, 3) + " vs natural";
            add("1", group, "Gini", row, *natural, &ReproductionRow::gini, +1, 0.0, 3);
            add("1", group, "log₁₀ RIS", row, *natural, &ReproductionRow::risLog10, -1, 0.0, 2);
            add("1", group, "mean SSIM", row, *natural, &ReproductionRow::ssimMean, +1, 0.0, 3);
            add("2", group, "log₁₀ ROS", row, *natural, &ReproductionRow::rosLog10, +1, 0.0, 2);
        }
    }
    // Claim 3: the Gaussian model against plain adversarial training at its ε.
    for (const auto& method : methods) {
        const auto* gaussian = find(rows, "smoothed", method);
        if (!gaussian) continue;
        const auto* adversarial = find(rows, "adversarial", method, gaussian->epsilon);
        if (!adversarial) continue;
        const std::string group = upper(method) + ", ε=" + fixedDecimals(gaussian->epsilon, 3) + ", +Gaussian vs plain";
        add("3", group, "Gini", *gaussian, *adversarial, &ReproductionRow::gini, +1, 0.02, 3);
        add("3", group, "log₁₀ RIS", *gaussian, *adversarial, &ReproductionRow::risLog10, -1, 0.0, 2);
        add("3", group, "log₁₀ ROS", *gaussian, *adversarial, &ReproductionRow::rosLog10, -1, 0.0, 2);
        add("3", group, "accuracy", *gaussian, *adversarial, &ReproductionRow::accuracy, +1, 0.02, 1);
    }
    return comparisons;
}

std::vector<ClaimVerdict> judgeClaims(const std::vector<ReproductionRow>& rows) {
    std::vector<ClaimVerdict> claims = {
        {"1", kClaimStatements[0], "", {}}, {"2", kClaimStatements[1], "", {}}, {"3", kClaimStatements[2], "", {}}};
    std::vector<Tally> tallies(claims.size());
    const auto comparisons = claimComparisons(rows);
    // One evidence line per compared pair, its comparisons joined, in the order they were made.
    for (size_t i = 0; i < comparisons.size();) {
        const auto& first = comparisons[i];
        const size_t claim = size_t(std::stoi(first.claim) - 1);
        std::string line = first.group + ": ";
        for (bool firstInLine = true; i < comparisons.size() && comparisons[i].group == first.group && comparisons[i].claim == first.claim;
             ++i, firstInLine = false) {
            const auto& comparison = comparisons[i];
            const auto show = [&](double value) {
                return comparison.isFraction ? percent(value) : fixedDecimals(value, comparison.decimals);
            };
            const auto mark = tallies[claim].check(comparison.a, comparison.b, comparison.holds());
            line += (firstInLine ? "" : "; ") + comparison.measure + " " + show(comparison.a) + comparison.detailA + " vs " +
                    show(comparison.b) + mark;
        }
        claims[claim].evidence.push_back(line);
    }
    for (const auto& row : rows) {
        if (row.role != "ablation") continue;
        claims[2].evidence.push_back("(ablation, not counted) " + upper(row.method) + ", " + row.model + ": Gini " +
                                     fixedDecimals(row.gini, 3) + ", log₁₀ RIS " + fixedDecimals(row.risLog10, 2) + ", log₁₀ ROS " +
                                     fixedDecimals(row.rosLog10, 2) + ", accuracy " + percent(row.accuracy));
    }
    for (size_t claim = 0; claim < claims.size(); ++claim) claims[claim] = verdictFrom(claims[claim], tallies[claim]);
    return claims;
}

void writeReproductionReport(const std::string& folder, const ReproducePlan& plan, const std::vector<ReproductionRow>& rows,
                             const std::vector<ClaimVerdict>& claims, const std::string& runNotes) {
    const fs::path root = folder;
    std::ostringstream summaryCsv;
    std::vector<CurveRow> curves;
    summaryCsv << kSummaryCsvHeader << '\n';
    for (const auto& row : rows) {
        summaryCsv << summaryCsvFields(row) << '\n';
        for (size_t i = 0; i < row.sigma.size(); ++i) {
            // Rows built by hand (tests) may leave n out: 0 says "not recorded".
            const int64_t n = i < row.ssimN.size() ? row.ssimN[i] : 0;
            curves.push_back({row.model, row.method, "ssim", row.sigma[i], row.ssim[i], row.ssimLow[i], row.ssimHigh[i], n});
        }
    }
    nlohmann::json claimsJson = nlohmann::json::array();
    for (const auto& claim : claims) {
        claimsJson.push_back(
            {{"claim", claim.claim}, {"statement", claim.statement}, {"verdict", claim.verdict}, {"evidence", claim.evidence}});
    }

    std::vector<ReportBlock> blocks;
    const std::string title = "Reproduction: " + plan.preset + ", " + plan.budget.name + " budget";
    blocks.push_back({ReportBlock::Kind::Heading, title, {}, {}, 1});
    blocks.push_back({ReportBlock::Kind::Paragraph,
                      "Written by `saliency-cli reproduce`. Training data " + plan.trainSpec + ", evaluation on the first " +
                          std::to_string(plan.budget.evalImages) + " images of " + plan.testSpec +
                          " (only correctly classified ones are scored for Gini, RIS, ROS and SSIM). IG uses " +
                          std::to_string(plan.budget.igSteps) + " Gauss–Legendre steps; RIS and ROS use " +
                          std::to_string(plan.budget.stabilitySamples) + " perturbations per input.",
                      {},
                      {}});
    if (!runNotes.empty()) blocks.push_back({ReportBlock::Kind::Paragraph, runNotes, {}, {}});

    blocks.push_back({ReportBlock::Kind::Heading, "Claims", {}, {}, 2});
    for (const auto& claim : claims) {
        blocks.push_back(
            {ReportBlock::Kind::Paragraph, "**Claim " + claim.claim + ": " + claim.verdict + ".** " + claim.statement, {}, {}});
        blocks.push_back({ReportBlock::Kind::List, "", claim.evidence, {}});
    }

    blocks.push_back({ReportBlock::Kind::Heading, "Summary", {}, {}, 2});
    ReportBlock table{ReportBlock::Kind::Table,
                      "",
                      {"model", "badge", "method", "accuracy", "robust acc.", "Gini [95 % CI]", "log₁₀ RIS (NaN)", "log₁₀ ROS (NaN)",
                       "mean SSIM", "AOPC MoRF", "curvature (r = 0.01)", "Hessian λmax"},
                      {}};
    for (const auto& row : rows) {
        table.rows.push_back(
            {row.model, row.badge, upper(row.method), percent(row.accuracy), percent(row.robustAccuracy),
             fixedDecimals(row.gini, 3) + " [" + fixedDecimals(row.giniLow, 3) + ", " + fixedDecimals(row.giniHigh, 3) + "]",
             fixedDecimals(row.risLog10, 2) + " (" + std::to_string(row.risNan) + ")",
             fixedDecimals(row.rosLog10, 2) + " (" + std::to_string(row.rosNan) + ")", fixedDecimals(row.ssimMean, 3),
             fixedDecimals(row.aopcMorf, 3), fixedDecimals(row.curvature, 2), fixedDecimals(row.hessian, 3)});
    }
    blocks.push_back(table);
    if (!plan.reportedAccuracy.empty()) {
        ReportBlock reported{
            ReportBlock::Kind::Table,
            "",
            {"model (the authors' code)", "their accuracy", "ours (the model in that role; our smoothed model is at ε = 0.1)"},
            {}};
        for (const auto& [name, accuracy] : plan.reportedAccuracy) {
            std::string ours = "—";
            for (const auto& row : rows) {
                if (row.method != "vg") continue;
                const bool sameRole = (name == "natural" && row.role == "natural") ||
                                      (name == "adv-eps0.1" && row.role == "adversarial" && std::abs(row.epsilon - 0.1) < 1e-9) ||
                                      (name == "adv-eps0.01-gaussian" && row.role == "smoothed");
                if (sameRole) ours = percent(row.accuracy) + " (" + row.model + ")";
            }
            reported.rows.push_back({name, percent(accuracy), ours});
        }
        blocks.push_back({ReportBlock::Kind::Heading, "Accuracy beside the authors'", {}, {}, 2});
        blocks.push_back(reported);
    }

    const fs::path figureIndex = ReproductionFolder(root).figureIndex();
    if (fs::exists(figureIndex)) {
        blocks.push_back({ReportBlock::Kind::Heading, "Figures", {}, {}, 2});
        std::ifstream file(figureIndex);
        nlohmann::json figures;
        try {
            file >> figures;
        } catch (const std::exception& error) {
            throw InputError(figureIndex.string(), std::string("not valid JSON: ") + error.what());
        }
        try {
            for (const auto& figure : figures) {
                blocks.push_back({ReportBlock::Kind::Figure,
                                  figure.at("caption").get<std::string>(),
                                  {"figures/" + figure.at("file").get<std::string>()},
                                  {}});
            }
        } catch (const nlohmann::json::exception& error) {
            throw InputError(figureIndex.string(), std::string("each figure needs a caption and a file: ") + error.what());
        }
    }
    blocks.push_back({ReportBlock::Kind::Heading, "Files", {}, {}, 2});
    blocks.push_back({ReportBlock::Kind::List,
                      "",
                      {"`models/` — the trained models (each records its recipe); `evaluations/MODEL.METHOD.json` — one evaluation per "
                       "model and method (the format is in docs/METRICS.md of the program's source)",
                       "`summary.csv`, `curves.csv`, `claims.json` — the numbers above",
                       "`workspace.json` — open this folder in saliency-workbench (File → Open report) to browse the maps"},
                      {}});

    const ReproductionFolder written(root);
    writeTextFileAtomically(written.summaryCsv(), summaryCsv.str());
    writeCurvesCsv(written.curvesCsv().string(), curves);
    writeTextFileAtomically(written.claimsFile(), claimsJson.dump(2) + "\n");
    writeTextFileAtomically(written.reportMarkdown(), renderMarkdown(blocks));
    writeTextFileAtomically(written.reportHtml(), renderHtml(blocks, title));
}

}  // namespace sw
