#include "io/CurvesCsv.h"
#include "reproduce/ReproducePlan.h"
#include "reproduce/ReproductionReport.h"
#include "reproduce/SeedReport.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

/// The reproduction's plan (what is trained with which recipe) and its judgement of the paper's claims.
class TestReproduction : public QObject {
    Q_OBJECT
private:
    static ReproductionRow row(const std::string& model, const std::string& role, double epsilon, const std::string& method, double gini,
                               double ris, double ros, double ssim, double accuracy = 0.85) {
        ReproductionRow r;
        r.model = model;
        r.role = role;
        r.epsilon = epsilon;
        r.method = method;
        r.gini = gini;
        r.giniLow = gini - 0.01;
        r.giniHigh = gini + 0.01;
        r.risLog10 = ris;
        r.rosLog10 = ros;
        r.ssimMean = ssim;
        r.accuracy = accuracy;
        return r;
    }

private Q_SLOTS:
    void fmnistPlanFollowsTheAuthors() {
        const auto paper = makeReproducePlan("fmnist", "paper", "");
        std::vector<std::string> names;
        for (const auto& model : paper.models) names.push_back(model.name);
        QCOMPARE(names, (std::vector<std::string>{"natural", "adv-eps0.01", "adv-eps0.03", "adv-eps0.06", "adv-eps0.1", "adv-eps0.3",
                                                  "adv-eps0.1-gaussian", "adv-eps0.1-mean", "adv-eps0.1-median"}));
        const auto& natural = paper.models[0].train.recipe;
        QCOMPARE(natural.epochs, int64_t(50));
        QCOMPARE(natural.learningRate, 1e-3);
        QVERIFY(!natural.adversarial.enabled());
        const auto& adversarial = paper.models[4].train.recipe;
        QCOMPARE(adversarial.epochs, int64_t(40));
        QCOMPARE(adversarial.learningRate, 1e-4);
        QCOMPARE(adversarial.adversarial.steps, int64_t(40));
        QCOMPARE(adversarial.adversarial.epsilon, 0.1);
        QVERIFY(std::abs(adversarial.adversarial.stepSize - 0.01) < 1e-12);  // the authors' ε/10
        QCOMPARE(paper.models[6].train.smoothing.at(0).kind, std::string("gaussian"));
        QCOMPARE(paper.models[6].train.smoothing.at(0).after, std::string("pool1"));
        QCOMPARE(paper.models[8].train.smoothing.at(0).kind, std::string("median"));
        QCOMPARE(paper.trainSpec, std::string("fmnist:train"));
        QCOMPARE(paper.budget.evalImages, int64_t(1000));

        const auto quick = makeReproducePlan("fmnist", "quick", "/data/fm");
        QCOMPARE(quick.testSpec, std::string("fmnist:/data/fm:test"));
        QCOMPARE(quick.models[5].train.recipe.adversarial.steps, int64_t(7));
        QVERIFY(std::abs(quick.models[5].train.recipe.adversarial.stepSize - 2.5 * 0.3 / 7) < 1e-12);  // Madry's 2.5ε/steps
        QVERIFY(quick.models[5].train.evalRobust);
        QVERIFY(!quick.models[0].train.evalRobust);
    }
    void otherPresetsUseTheAuthorsArchitectures() {
        const auto cifar = makeReproducePlan("cifar10", "paper", "/data/cifar");
        QCOMPARE(cifar.models[0].train.arch, std::string("wrn-28-10"));
        QCOMPARE(cifar.models[0].train.recipe.maxSteps, int64_t(70000));
        QVERIFY(!cifar.models[0].train.recipe.adversarial.enabled());
        QCOMPARE(cifar.models[1].train.recipe.adversarial.steps, int64_t(7));
        QVERIFY(std::abs(cifar.models[1].epsilon - 8.0 / 255.0) < 1e-12);
        QCOMPARE(cifar.models[2].train.smoothing.at(0).after, std::string("layer1"));
        QCOMPARE(cifar.trainSpec, std::string("cifar10:/data/cifar:train"));
        const auto imagenette = makeReproducePlan("imagenette", "quick", "/data/nette");
        QCOMPARE(imagenette.models[0].train.arch, std::string("resnet18-imagenet"));
        QCOMPARE(imagenette.testSpec, std::string("imagefolder:/data/nette:test"));
        QCOMPARE(imagenette.models[1].train.recipe.adversarial.steps, int64_t(20));
    }
    void badPresetsBudgetsAndMissingDataAreNamed() {
        test::expectErrorMentioning([] { makeReproducePlan("mnist", "quick", ""); }, {"--preset mnist", "unknown preset"});
        test::expectErrorMentioning([] { makeReproducePlan("fmnist", "fast", ""); }, {"--budget fast", "unknown budget"});
        test::expectErrorMentioning([] { makeReproducePlan("cifar10", "quick", ""); }, {"--data", "needs the dataset folder"});
    }

    void claimsFollowTheNumbers() {
        // The paper's story: adversarial is sparser and input-stabler but output-unstabler; Gaussian fixes ROS.
        std::vector<ReproductionRow> rows = {
            row("natural", "natural", 0.0, "vg", 0.50, -1.0, 3.0, 0.60),
            row("adv-eps0.1", "adversarial", 0.1, "vg", 0.70, -2.0, 4.0, 0.80),
            row("adv-eps0.3", "adversarial", 0.3, "vg", 0.75, -2.5, 4.5, 0.85),
            row("adv-eps0.1-gaussian", "smoothed", 0.1, "vg", 0.69, -2.2, 3.5, 0.82, 0.84),
            row("adv-eps0.1-mean", "ablation", 0.1, "vg", 0.60, -1.0, 5.0, 0.5),
        };
        auto claims = judgeClaims(rows);
        QCOMPARE(claims.size(), size_t(3));
        QCOMPARE(claims[0].verdict, std::string("reproduced"));
        QCOMPARE(claims[1].verdict, std::string("reproduced"));
        QCOMPARE(claims[2].verdict, std::string("reproduced"));
        QCOMPARE(claims[0].evidence.front(), std::string("6 of 6 comparisons hold."));
        QVERIFY(claims[2].evidence.back().find("ablation, not counted") != std::string::npos);

        // The Gaussian model loses 0.05 Gini and 3 points of accuracy, and its ROS is no better: 1 of 4 holds.
        rows[3] = row("adv-eps0.1-gaussian", "smoothed", 0.1, "vg", 0.65, -2.2, 4.1, 0.82, 0.82);
        rows[2].gini = 0.40;  // and the ε = 0.3 model is denser than the natural one
        claims = judgeClaims(rows);
        QCOMPARE(claims[0].verdict, std::string("partly reproduced"));
        QCOMPARE(claims[0].evidence.front(), std::string("5 of 6 comparisons hold."));
        QCOMPARE(claims[2].verdict, std::string("not reproduced"));
        QCOMPARE(claims[2].evidence.front(), std::string("1 of 4 comparisons hold."));
        const auto& line = claims[2].evidence[1];
        QVERIFY2(line.find("Gini 0.650 vs 0.700 ✗") != std::string::npos && line.find("log₁₀ RIS -2.20 vs -2.00 ✓") != std::string::npos,
                 line.c_str());
    }
    void standardBudgetAndModelSubsets() {
        const auto standard = makeReproducePlan("fmnist", "standard", "", 3, {"core"});
        std::vector<std::string> names;
        for (const auto& model : standard.models) names.push_back(model.name);
        QCOMPARE(names, (std::vector<std::string>{"natural", "adv-eps0.1", "adv-eps0.1-gaussian"}));
        QCOMPARE(standard.models[0].train.recipe.epochs, int64_t(5));  // the supplementary run's five epochs
        QCOMPARE(standard.models[1].train.recipe.epochs, int64_t(5));
        QCOMPARE(standard.models[1].train.recipe.adversarial.steps, int64_t(7));
        QCOMPARE(standard.models[2].train.recipe.seed, uint64_t(3));
        QCOMPARE(standard.budget.evalImages, int64_t(500));
        QVERIFY(std::find(standard.metrics.begin(), standard.metrics.end(), "hessian") != standard.metrics.end());
        const auto two = makeReproducePlan("fmnist", "quick", "", 0, {"adv-eps0.3", "natural"});
        QCOMPARE(two.models.size(), size_t(2));
        QCOMPARE(two.models[0].name, std::string("natural"));  // plan order, not the order asked for
        test::expectErrorMentioning(
            [] {
                makeReproducePlan("fmnist", "quick", "", 0, {"natural", "adv-eps0.2"});
            },
            {"--models adv-eps0.2", "adv-eps0.3"});
    }
    void claimsAcrossSeedsUseAPairedTInterval() {
        // Three seeds. Gini: the adversarial model is sparser in every seed by 0.20, 0.22, 0.18 — reproduced.
        // ROS: higher in two seeds, lower in one (+0.5, +0.4, −0.3) — the mean agrees, the interval includes 0.
        // RIS: lower in one seed only — the mean disagrees: not reproduced.
        const double giniGap[] = {0.20, 0.22, 0.18}, rosGap[] = {0.5, 0.4, -0.3}, risGap[] = {-0.1, 0.3, 0.2};
        std::vector<std::vector<ReproductionRow>> rowsPerSeed;
        for (int s = 0; s < 3; ++s) {
            rowsPerSeed.push_back(
                {row("natural", "natural", 0.0, "vg", 0.50, -1.0, 3.0, 0.60),
                 row("adv-eps0.1", "adversarial", 0.1, "vg", 0.50 + giniGap[s], -1.0 + risGap[s], 3.0 + rosGap[s], 0.70)});
        }
        const auto claims = judgeClaimsAcrossSeeds(rowsPerSeed, {0, 1, 2});
        QCOMPARE(claims.size(), size_t(3));
        const auto find = [&](size_t claim, const std::string& measure) {
            for (const auto& comparison : claims[claim].comparisons) {
                if (comparison.comparison.measure == measure) return comparison;
            }
            qFatal("no comparison %s", measure.c_str());
        };
        const auto gini = find(0, "Gini");
        QCOMPARE(gini.verdict, std::string("reproduced"));
        QCOMPARE(gini.seedsAgreeing, 3);
        QVERIFY(std::abs(gini.difference.mean - 0.20) < 1e-9);
        const auto expected = acrossSeeds({0.20, 0.22, 0.18});  // checked against SciPy in test_seed_statistics
        QVERIFY(std::abs(gini.difference.ciLow - expected.ciLow) < 1e-12 && gini.difference.ciLow > 0);
        const auto ros = find(1, "log₁₀ ROS");
        QCOMPARE(ros.verdict, std::string("direction only"));
        QCOMPARE(ros.seedsAgreeing, 2);
        QVERIFY(ros.marginLow() < 0 && ros.marginHigh() > 0);
        QCOMPARE(find(0, "log₁₀ RIS").verdict, std::string("not reproduced"));
        QCOMPARE(claims[0].verdict, std::string("not reproduced"));  // the weakest of its comparisons
        QCOMPARE(claims[1].verdict, std::string("direction only"));
        QCOMPARE(claims[2].verdict, std::string("not tested (missing models)"));

        // The report folder: claims.json with every seed's numbers, per-seed curves pooled into one band.
        QTemporaryDir folder;
        for (auto& rows : rowsPerSeed) {
            rows[0].sigma = {0.1};
            rows[0].ssim = rows[0].ssimLow = rows[0].ssimHigh = {0.6};
            rows[0].ssimN = {40};
        }
        rowsPerSeed[1][0].ssim = {0.7};
        rowsPerSeed[2][0].ssim = {0.8};
        const auto plan = makeReproducePlan("fmnist", "smoke", "", 0, {"core"});
        writeSeedStudyReport(folder.path().toStdString(), plan, {0, 1, 2}, rowsPerSeed, claims);
        std::ifstream claimsFile(fs::path(folder.path().toStdString()) / "claims.json");
        const auto document = nlohmann::json::parse(claimsFile);
        QCOMPARE(document["seeds"].size(), size_t(3));
        QCOMPARE(document["claims"][1]["verdict"].get<std::string>(), std::string("direction only"));
        QCOMPARE(document["claims"][1]["comparisons"][0]["per_seed"][2]["difference"].get<double>(), -0.3);
        const auto curves = readCurvesCsv((fs::path(folder.path().toStdString()) / "curves.csv").string());
        QCOMPARE(curves.size(), size_t(3));
        QCOMPARE(curves[1].model, std::string("seed-1/natural"));
        const auto pooled = curvesAcrossSeeds(curves);
        QCOMPARE(pooled.size(), size_t(1));
        QCOMPARE(pooled[0].model, std::string("natural"));
        QVERIFY(std::abs(pooled[0].mean - 0.7) < 1e-12);
        QCOMPARE(pooled[0].n, int64_t(3));
        QVERIFY(std::abs(pooled[0].ciHigh - acrossSeeds({0.6, 0.7, 0.8}).ciHigh) < 1e-12);
        std::ifstream report(fs::path(folder.path().toStdString()) / "report.md");
        const std::string text(std::istreambuf_iterator<char>(report), {});
        QVERIFY(text.find("**Claim 2: direction only.**") != std::string::npos);
        QVERIFY(text.find("+0.50, +0.40, -0.30") != std::string::npos);
    }
    void missingEvaluationIsNamed() {
        QTemporaryDir folder;
        const auto plan = makeReproducePlan("fmnist", "smoke", folder.path().toStdString());
        test::expectErrorMentioning([&] { readReproductionRows(folder.path().toStdString(), plan); }, {"natural.vg.json", "missing"});
    }
    void reportStatesEveryVerdict() {
        QTemporaryDir folder;
        const auto plan = makeReproducePlan("fmnist", "smoke", folder.path().toStdString());
        std::vector<ReproductionRow> rows = {row("natural", "natural", 0.0, "vg", 0.5, -1.0, 3.0, 0.6),
                                             row("adv-eps0.1", "adversarial", 0.1, "vg", 0.4, -2.0, 4.0, 0.8)};
        rows[0].sigma = rows[1].sigma = {0.1};
        rows[0].ssim = rows[0].ssimLow = rows[0].ssimHigh = {0.6};
        rows[1].ssim = rows[1].ssimLow = rows[1].ssimHigh = {0.8};
        const auto claims = judgeClaims(rows);
        writeReproductionReport(folder.path().toStdString(), plan, rows, claims, "ran on a test machine");
        std::ifstream markdown(fs::path(folder.path().toStdString()) / "report.md");
        const std::string text((std::istreambuf_iterator<char>(markdown)), std::istreambuf_iterator<char>());
        QVERIFY(text.find("**Claim 1: partly reproduced.**") != std::string::npos);
        QVERIFY(text.find("**Claim 3: not tested (missing models).**") != std::string::npos);
        QVERIFY(text.find("ran on a test machine") != std::string::npos);
        QVERIFY(text.find("| natural | 89.7 % |") != std::string::npos);  // the authors' accuracy beside ours
        std::ifstream curves(fs::path(folder.path().toStdString()) / "curves.csv");
        std::string header, first;
        std::getline(curves, header);
        std::getline(curves, first);
        QCOMPARE(header, std::string(kCurvesCsvHeader));  // the one curves format (io/CurvesCsv.h), with n
        QCOMPARE(first, std::string("natural,vg,ssim,0.1,0.6,0.6,0.6,0"));
    }
};

QTEST_APPLESS_MAIN(TestReproduction)
#include "TestReproduction.moc"
