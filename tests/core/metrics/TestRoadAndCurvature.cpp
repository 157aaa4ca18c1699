#include "data/BatchSampler.h"
#include "metrics/LocalCurvature.h"
#include "metrics/Road.h"
#include "models/Activation.h"
#include "models/Architectures.h"
#include "models/Classifier.h"
#include "TestSupport.h"

using namespace sw;

class TestRoadAndCurvature : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void imputationReproducesALinearRamp() {
        // For a linear image the neighbour average (symmetric weights) equals the centre value, so the
        // imputed interior is the ramp itself, up to the added noise.
        const auto ys = torch::arange(12, torch::kFloat64).view({12, 1}), xs = torch::arange(12, torch::kFloat64).view({1, 12});
        const auto ramp = (0.02 * ys + 0.03 * xs + 0.1).view({1, 1, 12, 12});
        auto removed = torch::zeros({1, 12, 12}, torch::kBool);
        removed.slice(1, 3, 9).slice(2, 2, 10) = true;
        auto generator = makeGenerator(0, 0);
        const auto imputed = noisyLinearImputation(ramp, removed, generator, 0.0);
        QVERIFY((imputed - ramp).abs().max().item<double>() < 1e-5);
        auto noisyGenerator = makeGenerator(0, 0);
        const auto noisy = noisyLinearImputation(ramp, removed, noisyGenerator, 0.01);
        const auto difference = (noisy - ramp).masked_select(removed.unsqueeze(1));
        QVERIFY(std::abs(difference.std().item<double>() - 0.01) < 0.003);
        QVERIFY(
            torch::equal(noisy.masked_select(removed.unsqueeze(1).logical_not()), ramp.masked_select(removed.unsqueeze(1).logical_not())));
    }
    void imputationConvergesOnLargeImagesWithMostPixelsRemoved() {
        const auto ys = torch::arange(96, torch::kFloat64).view({96, 1}), xs = torch::arange(96, torch::kFloat64).view({1, 96});
        const auto ramp = (0.004 * ys - 0.003 * xs + 0.5).view({1, 1, 96, 96}).expand({2, 3, 96, 96}).contiguous();
        auto generator = makeGenerator(1, 1);
        auto removed = torch::rand({2, 96, 96}, generator).lt(0.9);
        // The ramp solves the neighbour-mean equations only where the neighbourhood is symmetric: keep the frame.
        removed.select(1, 0).fill_(false);
        removed.select(1, 95).fill_(false);
        removed.select(2, 0).fill_(false);
        removed.select(2, 95).fill_(false);
        auto imputationNoise = makeGenerator(0, 0);
        const auto imputed = noisyLinearImputation(ramp, removed, imputationNoise, 0.0);
        QVERIFY((imputed - ramp).abs().max().item<double>() < 1e-6);
    }
    void morfHurtsAModelThatReadsTheRelevantPixels() {
        // Class 1 iff the top-left 4×4 block is bright; the heatmap marks exactly that block.
        const auto logitsOf = [](const torch::Tensor& x) {
            const auto block = x.slice(2, 0, 4).slice(3, 0, 4).mean({1, 2, 3});
            return torch::stack({0.5 - block, block - 0.5}, 1);
        };
        auto pixels = torch::zeros({8, 1, 10, 10}, torch::kFloat32);
        pixels.slice(2, 0, 4).slice(3, 0, 4) = 1.0;
        const auto labels = torch::ones({8}, torch::kInt64);
        auto heatmaps = torch::zeros({8, 10, 10});
        heatmaps.slice(1, 0, 4).slice(2, 0, 4) = 1.0;
        heatmaps += torch::rand({8, 10, 10}) * 0.01;
        RoadOptions morf;
        morf.percentages = {5, 16, 50};
        const auto mostRelevant = roadCurve(logitsOf, pixels, labels, heatmaps, morf);
        QCOMPARE(mostRelevant.baseAccuracy, 1.0);
        QCOMPARE(mostRelevant.accuracy.back(), 0.0);
        auto lerf = morf;
        lerf.mostRelevantFirst = false;
        const auto leastRelevant = roadCurve(logitsOf, pixels, labels, heatmaps, lerf);
        QCOMPARE(leastRelevant.accuracy.back(), 1.0);
        QVERIFY(mostRelevant.aopc > leastRelevant.aopc);
        double expected = 0;
        for (const double a : mostRelevant.accuracy) expected += 1.0 - a;
        QVERIFY(std::abs(mostRelevant.aopc - expected / 4.0) < 1e-12);
    }
    void tiesAreRemovedInPixelOrder() {
        // An IG map with a zero baseline is exactly 0 on about half its pixels: the order among them is defined.
        auto heatmaps = torch::zeros({2, 30, 30});
        heatmaps[1].view(-1).slice(0, 0, 900, 2).fill_(0.5);  // every other pixel relevant, the rest tied at 0
        const auto expectedTies = torch::arange(900, torch::kInt64);
        QVERIFY(torch::equal(roadRemovalOrder(heatmaps, true)[0], expectedTies));
        QVERIFY(torch::equal(roadRemovalOrder(heatmaps, false)[0], expectedTies));
        const auto evens = torch::arange(0, 900, 2, torch::kInt64), odds = torch::arange(1, 900, 2, torch::kInt64);
        QVERIFY(torch::equal(roadRemovalOrder(heatmaps, true)[1], torch::cat({evens, odds})));
        QVERIFY(torch::equal(roadRemovalOrder(heatmaps, false)[1], torch::cat({odds, evens})));
        // Large enough for the sort to leave its insertion-sort path: an unstable sort would scramble the ties.
        auto large = torch::zeros({1, 224, 224});
        QVERIFY(torch::equal(roadRemovalOrder(large, true)[0], torch::arange(224 * 224, torch::kInt64)));
    }
    void roadTruncatesThePixelCount() {
        // 28×28 = 784 pixels: 1 % is 7.84 pixels, of which the authors' code removes 7 (rounding would remove 8).
        QCOMPARE(roadRemovedPixelCount(1, 784), int64_t(7));
        QCOMPARE(roadRemovedPixelCount(6, 784), int64_t(47));        // 47.04
        QCOMPARE(roadRemovedPixelCount(11, 784), int64_t(86));       // 86.24
        QCOMPARE(roadRemovedPixelCount(46, 784), int64_t(360));      // 360.64: rounding would give 361
        QCOMPARE(roadRemovedPixelCount(50, 784), int64_t(392));      // exact
        QCOMPARE(roadRemovedPixelCount(96, 32 * 32), int64_t(983));  // 983.04
        int differ = 0;
        for (const double p : RoadOptions{}.percentages) differ += roadRemovedPixelCount(p, 784) != std::llround(p / 100.0 * 784);
        QCOMPARE(differ, 8);  // the 8 of 20 levels the independent check named
    }

    void hessianOfAQuadraticIsItsLargestEigenvalue() {
        // f(x) = ½ xᵀAx with A = Q diag(3, −5, 1, 0.5) Qᵀ: the Hessian is A, its largest |eigenvalue| 5.
        auto generator = makeGenerator(3, 0);
        const auto q = std::get<0>(torch::linalg_qr(torch::randn({4, 4}, generator).to(torch::kFloat64)));
        const auto a = q.matmul(torch::diag(torch::tensor({3.0, -5.0, 1.0, 0.5}, torch::kFloat64))).matmul(q.t());
        const auto scoreOf = [&](const torch::Tensor& x) { return 0.5 * (x.matmul(a) * x).sum(1); };
        const auto norms = hessianSpectralNorm(scoreOf, torch::rand({3, 4}, torch::kFloat64), 200);
        QVERIFY2(torch::allclose(norms, torch::full({3}, 5.0, torch::kFloat64), 1e-6, 1e-6),
                 std::to_string(norms[0].item<double>()).c_str());
    }

    void hessianNeedsTheSoftplusSurrogate() {
        // A ReLU/max-pool network is piecewise linear: its Hessian is 0 almost everywhere. Under the surrogate
        // it is not, and the surrogate tends to the ReLU network as β grows.
        ModelDescription description;
        description.arch = "lenet";
        description.classes = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
        torch::manual_seed(4);
        Classifier network(description);
        network->eval();
        const auto x = torch::rand({2, 1, 28, 28});
        const auto scoreOf = [&](const torch::Tensor& input) { return network->forward(input).select(1, 0); };
        QCOMPARE(hessianSpectralNorm(scoreOf, x, 5).abs().max().item<double>(), 0.0);
        double smooth = 0.0;
        {
            const SoftplusSurrogate surrogate(10.0);
            smooth = hessianSpectralNorm(scoreOf, x, 20).min().item<double>();
        }
        QVERIFY2(smooth > 0.0, std::to_string(smooth).c_str());
        const auto relu = network->forward(x);
        const SoftplusSurrogate sharp(1000.0);
        QVERIFY(torch::allclose(network->forward(x), relu, 1e-3, 1e-2));
    }

    void curvatureOfAQuadraticIsTwiceItsWeight() {
        // f(x) = w·Σx² → ∇f = 2wx, so ‖∇f(x+δ) − ∇f(x)‖/‖δ‖ = 2w for every δ.
        const double w = 1.7;
        const auto gradientOf = [&](const torch::Tensor& x) { return 2.0 * w * x; };
        const auto curvature = localCurvature(gradientOf, torch::rand({4, 1, 6, 6}, torch::kFloat64));
        QVERIFY(torch::allclose(curvature, torch::full({4}, 2.0 * w, torch::kFloat64), 1e-9, 1e-9));
    }
    void localisationScores() {
        auto masks = torch::zeros({2, 4, 4}, torch::kUInt8);
        masks.slice(1, 0, 2).slice(2, 0, 2) = 1;
        auto heatmaps = torch::zeros({2, 4, 4});
        heatmaps[0][0][0] = 3.0;
        heatmaps[0][3][3] = 1.0;  // 75 % inside, peak inside
        heatmaps[1][3][3] = -5.0;
        heatmaps[1][1][1] = 1.0;  // 1/6 inside, peak outside
        QVERIFY(torch::allclose(energyInMask(heatmaps, masks), torch::tensor({0.75, 1.0 / 6.0}, torch::kFloat64)));
        QVERIFY(torch::equal(pointingGameHits(heatmaps, masks), torch::tensor({1.0, 0.0}, torch::kFloat64)));
    }
};

QTEST_APPLESS_MAIN(TestRoadAndCurvature)
#include "TestRoadAndCurvature.moc"
