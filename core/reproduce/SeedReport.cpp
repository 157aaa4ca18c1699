#include "reproduce/SeedReport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "explain/SaliencyMethods.h"
#include "io/CurvesCsv.h"
#include "io/ReportDocument.h"
#include "reproduce/ReproduceJob.h"
#include "reproduce/ReproductionFolder.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

std::string signedFixed(double value, int decimals) {
    return (std::isfinite(value) && value >= 0 ? "+" : "") + fixedDecimals(value, decimals);
}

nlohmann::json numberOrNull(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

bool aboveZero(double margin, double tolerance) { return tolerance > 0 ? margin >= 0 : margin > 0; }

/// Verdict strength, weakest first, for a claim's overall verdict.
int strength(const std::string& verdict) {
    if (verdict == "not reproduced") return 0;
    if (verdict == "direction only") return 1;
    if (verdict == "reproduced") return 2;
    return 3;  // not measured: does not weaken the claim
}

void judge(SeedComparison& seeded) {
    const auto& shape = seeded.comparison;
    std::vector<double> differences;
    for (size_t i = 0; i < seeded.a.size(); ++i) {
        ClaimComparison one = shape;
        one.a = seeded.a[i];
        one.b = seeded.b[i];
        differences.push_back(one.measured() ? one.a - one.b : std::nan(""));
        seeded.seedsMeasured += one.measured();
        seeded.seedsAgreeing += one.holds();
    }
    seeded.difference = acrossSeeds(differences);
    if (seeded.seedsMeasured == 0) {
        seeded.verdict = "not measured";
        return;
    }
    const double meanMargin = shape.direction * seeded.difference.mean + shape.tolerance;
    const bool holdsInMean = aboveZero(meanMargin, shape.tolerance);
    const bool excludesZero = seeded.difference.count >= 2 && aboveZero(seeded.marginLow(), shape.tolerance);
    seeded.verdict = holdsInMean && excludesZero ? "reproduced" : holdsInMean ? "direction only" : "not reproduced";
}

std::string meanAndSd(const std::vector<double>& values, int decimals, bool percent) {
    const auto summary = acrossSeeds(values);
    const double scale = percent ? 100.0 : 1.0;
    std::string text = fixedDecimals(scale * summary.mean, decimals);
    if (summary.count >= 2) text += " ± " + fixedDecimals(scale * summary.sd, decimals);
    return text + (percent && summary.count > 0 ? " %" : "");
}

}  // namespace

std::vector<CurveRow> curvesAcrossSeeds(const std::vector<CurveRow>& perSeed) {
    std::vector<CurveRow> pooled;
    std::vector<std::vector<double>> means;  // per pooled row, each seed's mean
    for (const auto& row : perSeed) {
        const auto slash = row.model.find('/');
        const std::string model = slash == std::string::npos ? row.model : row.model.substr(slash + 1);
        auto found = std::find_if(pooled.begin(), pooled.end(), [&](const CurveRow& p) {
            return p.model == model && p.method == row.method && p.measure == row.measure && p.noiseSigma == row.noiseSigma;
        });
        if (found == pooled.end()) {
            pooled.push_back({model, row.method, row.measure, row.noiseSigma, 0.0, 0.0, 0.0, 0});
            means.emplace_back();
            found = pooled.end() - 1;
        }
        means[size_t(found - pooled.begin())].push_back(row.mean);
    }
    for (size_t i = 0; i < pooled.size(); ++i) {
        const auto spread = acrossSeeds(means[i]);
        pooled[i].mean = spread.mean;
        pooled[i].ciLow = spread.count >= 2 ? spread.ciLow : spread.mean;
        pooled[i].ciHigh = spread.count >= 2 ? spread.ciHigh : spread.mean;
        pooled[i].n = spread.count;
    }
    return pooled;
}

double SeedComparison::marginLow() const {
    const auto& c = comparison;
    return (c.direction > 0 ? difference.ciLow : -difference.ciHigh) + c.tolerance;
}

double SeedComparison::marginHigh() const {
    const auto& c = comparison;
    return (c.direction > 0 ? difference.ciHigh : -difference.ciLow) + c.tolerance;
}

std::vector<SeedClaimVerdict> judgeClaimsAcrossSeeds(const std::vector<std::vector<ReproductionRow>>& rowsPerSeed,
                                                     const std::vector<uint64_t>& seeds) {
    if (rowsPerSeed.empty() || rowsPerSeed.size() != seeds.size()) throw InputError("--seeds", "one set of evaluations per seed is needed");
    // Comparisons are matched across seeds by claim, pair and measure; a pair missing in one seed counts as
    // not measured there.
    std::vector<SeedComparison> seeded;
    std::map<std::string, size_t> indexOf;
    for (size_t s = 0; s < rowsPerSeed.size(); ++s) {
        for (const auto& comparison : claimComparisons(rowsPerSeed[s])) {
            const auto key = comparison.claim + "|" + comparison.group + "|" + comparison.measure;
            auto found = indexOf.find(key);
            if (found == indexOf.end()) {
                SeedComparison fresh;
                fresh.comparison = comparison;
                fresh.seeds = seeds;
                fresh.a.assign(seeds.size(), std::nan(""));
                fresh.b.assign(seeds.size(), std::nan(""));
                found = indexOf.emplace(key, seeded.size()).first;
                seeded.push_back(fresh);
            }
            seeded[found->second].a[s] = comparison.a;
            seeded[found->second].b[s] = comparison.b;
        }
    }
    const auto statements = judgeClaims(rowsPerSeed.front());
    std::vector<SeedClaimVerdict> claims;
    for (const auto& single : statements) claims.push_back({single.claim, single.statement, "", "", {}});
    for (auto& comparison : seeded) {
        judge(comparison);
        claims[size_t(std::stoi(comparison.comparison.claim) - 1)].comparisons.push_back(comparison);
    }
    for (auto& claim : claims) {
        int counts[4] = {0, 0, 0, 0};
        int weakest = 3;
        for (const auto& comparison : claim.comparisons) {
            ++counts[strength(comparison.verdict)];
            weakest = std::min(weakest, strength(comparison.verdict));
        }
        const int measured = counts[0] + counts[1] + counts[2];
        claim.verdict = measured == 0  ? "not tested (missing models)"
                        : weakest == 2 ? "reproduced"
                        : weakest == 1 ? "direction only"
                                       : "not reproduced";
        claim.tally = std::to_string(counts[2]) + " of " + std::to_string(measured) + " comparisons reproduced, " +
                      std::to_string(counts[1]) + " direction only, " + std::to_string(counts[0]) + " not reproduced";
        if (counts[3] > 0) claim.tally += "; " + std::to_string(counts[3]) + " not measured";
    }
    return claims;
}

void writeSeedStudyReport(const std::string& folder, const ReproducePlan& plan, const std::vector<uint64_t>& seeds,
                          const std::vector<std::vector<ReproductionRow>>& rowsPerSeed, const std::vector<SeedClaimVerdict>& claims) {
    const fs::path root = folder;
    std::string seedList;
    for (size_t i = 0; i < seeds.size(); ++i) seedList += (i == 0 ? "" : ", ") + std::to_string(seeds[i]);

    // summary.csv and curves.csv: every seed's rows, marked with their seed.
    std::ostringstream summaryCsv;
    summaryCsv << "seed," << kSummaryCsvHeader << '\n';
    std::vector<CurveRow> curves;
    for (size_t s = 0; s < seeds.size(); ++s) {
        for (const auto& row : rowsPerSeed[s]) {
            summaryCsv << seeds[s] << ',' << summaryCsvFields(row) << '\n';
            for (size_t i = 0; i < row.sigma.size(); ++i) {
                const int64_t n = i < row.ssimN.size() ? row.ssimN[i] : 0;
                curves.push_back({ReproductionFolder::seedFolderName(seeds[s]) + "/" + row.model, row.method, "ssim", row.sigma[i],
                                  row.ssim[i], row.ssimLow[i], row.ssimHigh[i], n});
            }
        }
    }

    const std::string interval = "paired over seeds: a − b within each seed, then a 95 % Student-t interval of the mean (n − 1 df)";
    nlohmann::json claimsJson = nlohmann::json::array();
    for (const auto& claim : claims) {
        nlohmann::json comparisons = nlohmann::json::array();
        for (const auto& seeded : claim.comparisons) {
            const auto& c = seeded.comparison;
            nlohmann::json perSeed = nlohmann::json::array();
            for (size_t i = 0; i < seeded.seeds.size(); ++i) {
                perSeed.push_back({{"seed", seeded.seeds[i]},
                                   {"a", numberOrNull(seeded.a[i])},
                                   {"b", numberOrNull(seeded.b[i])},
                                   {"difference", numberOrNull(seeded.a[i] - seeded.b[i])}});
            }
            comparisons.push_back({{"pair", c.group},
                                   {"measure", c.measure},
                                   {"method", c.method},
                                   {"model_a", c.modelA},
                                   {"model_b", c.modelB},
                                   {"direction", c.direction},
                                   {"tolerance", c.tolerance},
                                   {"per_seed", perSeed},
                                   {"mean", numberOrNull(seeded.difference.mean)},
                                   {"sd", numberOrNull(seeded.difference.sd)},
                                   {"ci95", {numberOrNull(seeded.difference.ciLow), numberOrNull(seeded.difference.ciHigh)}},
                                   {"seeds_measured", seeded.seedsMeasured},
                                   {"seeds_agreeing", seeded.seedsAgreeing},
                                   {"verdict", seeded.verdict}});
        }
        claimsJson.push_back({{"claim", claim.claim},
                              {"statement", claim.statement},
                              {"verdict", claim.verdict},
                              {"tally", claim.tally},
                              {"comparisons", comparisons}});
    }
    const nlohmann::json claimsDocument = {{"seeds", seeds}, {"interval", interval}, {"claims", claimsJson}};

    std::vector<ReportBlock> blocks;
    const std::string title =
        "Reproduction across " + std::to_string(seeds.size()) + " seeds: " + plan.preset + ", " + plan.budget.name + " budget";
    blocks.push_back({ReportBlock::Kind::Heading, title, {}, {}, 1});
    blocks.push_back({ReportBlock::Kind::Paragraph,
                      "Written by `saliency-cli reproduce --seeds`. Every model was trained once per seed (" + seedList +
                          ") with the same recipe and evaluated on the first " + std::to_string(plan.budget.evalImages) + " images of " +
                          plan.testSpec +
                          "; each seed's folder holds its own report. A comparison is the difference a − b within a seed; "
                          "across the seeds it gets its mean, standard deviation and a 95 % Student-t interval (n − 1 degrees of "
                          "freedom). **Reproduced**: the mean is on the claimed side and the interval excludes zero; **direction only**: "
                          "the mean is on the claimed side, the interval includes zero; **not reproduced**: the mean is on the other side. "
                          "A claim takes the weakest verdict of its comparisons. The per-image bootstrap intervals in each seed's report "
                          "are within-model intervals; they do not include training-to-training variation.",
                      {},
                      {}});
    blocks.push_back({ReportBlock::Kind::Heading, "Claims", {}, {}, 2});
    for (const auto& claim : claims) {
        blocks.push_back({ReportBlock::Kind::Paragraph,
                          "**Claim " + claim.claim + ": " + claim.verdict + ".** " + claim.statement + " (" + claim.tally + ".)",
                          {},
                          {}});
        ReportBlock table{ReportBlock::Kind::Table,
                          "",
                          {"comparison", "a − b per seed", "mean ± sd", "95 % interval (t)", "seeds agreeing", "verdict"},
                          {}};
        for (const auto& seeded : claim.comparisons) {
            const auto& c = seeded.comparison;
            const int decimals = c.isFraction ? 3 : c.decimals;
            std::string perSeed;
            for (size_t i = 0; i < seeded.a.size(); ++i) perSeed += (i == 0 ? "" : ", ") + signedFixed(seeded.a[i] - seeded.b[i], decimals);
            const std::string expected = std::string(c.direction > 0 ? "higher" : "lower") +
                                         (c.tolerance > 0 ? ", or at most " + fixedDecimals(c.tolerance, 2) + " lower" : "");
            table.rows.push_back(
                {c.group + ": " + c.measure + " (a " + expected + ")", perSeed,
                 signedFixed(seeded.difference.mean, decimals) + " ± " + fixedDecimals(seeded.difference.sd, decimals),
                 "[" + signedFixed(seeded.difference.ciLow, decimals) + ", " + signedFixed(seeded.difference.ciHigh, decimals) + "]",
                 std::to_string(seeded.seedsAgreeing) + " of " + std::to_string(seeded.seedsMeasured), seeded.verdict});
        }
        blocks.push_back(table);
    }

    blocks.push_back({ReportBlock::Kind::Heading, "Summary across seeds (mean ± sd)", {}, {}, 2});
    ReportBlock summary{ReportBlock::Kind::Table,
                        "",
                        {"model", "method", "accuracy", "robust acc.", "Gini", "log₁₀ RIS", "log₁₀ ROS", "mean SSIM", "AOPC MoRF",
                         "curvature (r = 0.01)", "Hessian λmax"},
                        {}};
    for (size_t r = 0; r < rowsPerSeed.front().size(); ++r) {
        const auto& first = rowsPerSeed.front()[r];
        const auto across = [&](double ReproductionRow::*value) {
            std::vector<double> values;
            for (const auto& rows : rowsPerSeed) {
                for (const auto& row : rows) {
                    if (row.model == first.model && row.method == first.method) values.push_back(row.*value);
                }
            }
            return values;
        };
        summary.rows.push_back(
            {first.model, saliencyMethod(first.method).name, meanAndSd(across(&ReproductionRow::accuracy), 1, true),
             meanAndSd(across(&ReproductionRow::robustAccuracy), 1, true), meanAndSd(across(&ReproductionRow::gini), 3, false),
             meanAndSd(across(&ReproductionRow::risLog10), 2, false), meanAndSd(across(&ReproductionRow::rosLog10), 2, false),
             meanAndSd(across(&ReproductionRow::ssimMean), 3, false), meanAndSd(across(&ReproductionRow::aopcMorf), 3, false),
             meanAndSd(across(&ReproductionRow::curvature), 2, false), meanAndSd(across(&ReproductionRow::hessian), 3, false)});
    }
    blocks.push_back(summary);

    const fs::path figureIndex = ReproductionFolder(root).figureIndex();
    if (fs::exists(figureIndex)) {
        blocks.push_back({ReportBlock::Kind::Heading, "Figures", {}, {}, 2});
        std::ifstream file(figureIndex);
        try {
            nlohmann::json figures;
            file >> figures;
            for (const auto& figure : figures) {
                blocks.push_back({ReportBlock::Kind::Figure,
                                  figure.at("caption").get<std::string>(),
                                  {"figures/" + figure.at("file").get<std::string>()},
                                  {}});
            }
        } catch (const nlohmann::json::exception& error) {
            throw InputError(figureIndex.string(),
                             std::string("not a figure list (each figure needs a caption and a file): ") + error.what());
        }
    }
    std::vector<std::string> seedLinks;
    for (const auto seed : seeds) {
        std::string runs;
        if (std::ifstream log(ReproductionFolder(root).seedFolder(seed).runsLog()); log) std::getline(log, runs);
        seedLinks.push_back("`" + ReproductionFolder::seedFolderName(seed) + "/` — seed " + std::to_string(seed) +
                            ": its models, evaluations and report" + (runs.empty() ? "" : "; " + runs));
    }
    blocks.push_back({ReportBlock::Kind::Heading, "Seeds", {}, {}, 2});
    blocks.push_back({ReportBlock::Kind::List, "", seedLinks, {}});
    blocks.push_back({ReportBlock::Kind::Heading, "Files", {}, {}, 2});
    blocks.push_back({ReportBlock::Kind::List,
                      "",
                      {"`claims.json` — every comparison with its per-seed values, mean, sd, interval and verdict",
                       "`summary.csv` — every seed's summary rows (a `seed` column first); `curves.csv` — every seed's SSIM curves "
                       "(model `seed-N/NAME`; the format is in docs/METRICS.md of the program's source)",
                       "`study.json` — the preset, budget and seeds of this folder"},
                      {}});

    const ReproductionFolder study(root);
    writeTextFileAtomically(study.summaryCsv(), summaryCsv.str());
    writeCurvesCsv(study.curvesCsv().string(), curves);
    writeTextFileAtomically(study.claimsFile(), claimsDocument.dump(2) + "\n");
    writeTextFileAtomically(study.reportMarkdown(), renderMarkdown(blocks));
    writeTextFileAtomically(study.reportHtml(), renderHtml(blocks, title));
}

}  // namespace sw
