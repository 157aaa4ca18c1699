#include "models/SmoothingBlock.h"
#include "TestSupport.h"

using namespace sw;

/// The block's gradient against central finite differences in double precision.
class TestSmoothingBlock : public QObject {
    Q_OBJECT
private:
    static double maxGradientError(SmoothingBlock& block, const torch::Tensor& input) {
        const auto weights = torch::randn(input.sizes(), torch::kFloat64);  // a random linear read-out
        auto x = input.clone().requires_grad_(true);
        (block->forward(x) * weights).sum().backward();
        const auto analytic = x.grad();
        const double h = 1e-6;
        double worst = 0.0;
        auto flat = input.flatten();
        for (int64_t i = 0; i < flat.numel(); i += 3) {
            auto plus = flat.clone(), minus = flat.clone();
            plus[i] += h;
            minus[i] -= h;
            torch::NoGradGuard noGrad;
            const double up = (block->forward(plus.view(input.sizes())) * weights).sum().item<double>();
            const double down = (block->forward(minus.view(input.sizes())) * weights).sum().item<double>();
            worst = std::max(worst, std::abs((up - down) / (2 * h) - analytic.flatten()[i].item<double>()));
        }
        return worst;
    }

private Q_SLOTS:
    void gradientMatchesFiniteDifferences_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("kernel");
        QTest::newRow("gaussian 3") << int(BlurKind::Gaussian) << 3;
        QTest::newRow("gaussian 5") << int(BlurKind::Gaussian) << 5;
        QTest::newRow("mean 3") << int(BlurKind::Mean) << 3;
        QTest::newRow("median 3") << int(BlurKind::Median) << 3;
    }
    void gradientMatchesFiniteDifferences() {
        QFETCH(int, kind);
        QFETCH(int, kernel);
        torch::manual_seed(3);
        SmoothingBlock block(2, static_cast<BlurKind>(kind), kernel, 1.1);
        block->to(torch::kFloat64);
        // Distinct values so the median's choice does not flip under the ±h probe.
        const auto input = torch::randperm(2 * 2 * 6 * 6, torch::kFloat64).view({2, 2, 6, 6}) * 0.01;
        QVERIFY2(maxGradientError(block, input) < 1e-6, "analytic and numeric gradients disagree");
    }
    void onlyTheMixingConvolutionLearns() {
        SmoothingBlock block(4, BlurKind::Gaussian, 3, 0.8);
        const auto named = block->named_parameters();
        QCOMPARE(named.size(), size_t(2));
        QVERIFY(named.contains("mix.weight"));
        QVERIFY(named.contains("mix.bias"));
        QVERIFY(block->named_buffers().contains("blur_kernel"));
    }
    void gaussianKernelHasTheClosedForm() {
        SmoothingBlock block(1, BlurKind::Gaussian, 3, 0.8);
        // Impulse response of the blur: g(dx)·g(dy)/Σ with g(d) = exp(−d²/2σ²)
        auto impulse = torch::zeros({1, 1, 5, 5}, torch::kFloat32);
        impulse[0][0][2][2] = 1.0f;
        const auto response = block->blur(impulse);
        const double g1 = std::exp(-1.0 / (2 * 0.64)), total = (1 + 2 * g1) * (1 + 2 * g1);
        QVERIFY(std::abs(response[0][0][2][2].item<double>() - 1.0 / total) < 1e-6);
        QVERIFY(std::abs(response[0][0][1][2].item<double>() - g1 / total) < 1e-6);
        QVERIFY(std::abs(response[0][0][1][1].item<double>() - g1 * g1 / total) < 1e-6);
    }
    void blurKeepsConstantMapsAndShape() {
        for (auto kind : {BlurKind::Gaussian, BlurKind::Mean, BlurKind::Median}) {
            SmoothingBlock block(3, kind, 3, 2.15);
            const auto constant = torch::full({2, 3, 12, 12}, 0.7f);
            QVERIFY(torch::allclose(block->blur(constant), constant, 1e-6, 1e-6));
        }
        SmoothingBlock median(1, BlurKind::Median, 3, 1.0);
        auto spike = torch::zeros({1, 1, 6, 6});
        spike[0][0][3][3] = 5.0f;
        QCOMPARE(median->blur(spike).abs().max().item<float>(), 0.0f);  // a median removes an isolated spike
    }
    void defaultSigmaFollowsOpenCvRule() {
        QVERIFY(std::abs(defaultBlurSigma(3) - 0.8) < 1e-12);
        QVERIFY(std::abs(defaultBlurSigma(12) - 2.15) < 1e-12);
    }
    void badParametersAreRejected() {
        sw::test::expectErrorMentioning([] { SmoothingBlock(1, BlurKind::Mean, 4, 1.0); }, {"odd"});
        sw::test::expectErrorMentioning([] { SmoothingBlock(1, BlurKind::Gaussian, 3, 0.0); }, {"positive"});
        sw::test::expectErrorMentioning([] { parseBlurKind("bilateral"); }, {"bilateral", "gaussian, mean or median"});
    }
};

QTEST_APPLESS_MAIN(TestSmoothingBlock)
#include "TestSmoothingBlock.moc"
