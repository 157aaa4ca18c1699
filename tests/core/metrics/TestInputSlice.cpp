#include <cmath>
#include <limits>

#include "explain/SaliencyExplainer.h"
#include "metrics/InputSlice.h"
#include "util/InputError.h"
#include "core/QuadraticClassifier.h"
#include "TestSupport.h"

using namespace sw;
using test::QuadraticClassifier;

namespace {

SaliencyConfig vanillaGradient() {
    SaliencyConfig config;
    config.method = "vg";
    config.absolute = false;
    return config;
}

}  // namespace

/// The slice along a line against closed forms: a quadratic model's logit, gradient and curvature are known.
class TestInputSlice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quadraticModelMatchesItsClosedForms() {
        torch::manual_seed(3);
        const auto weights = torch::rand({1, 6, 5}, torch::kFloat64) + 0.1;  // f₀ > 0: class "up" is predicted
        QuadraticClassifier model(weights);
        SaliencyExplainer explainer(model, vanillaGradient());
        const auto x = torch::rand({1, 1, 6, 5}, torch::kFloat64);
        const auto direction = torch::randn({1, 1, 6, 5}, torch::kFloat64) * 3.0;
        InputSliceOptions options;
        options.radius = 0.2;
        options.points = 21;
        const auto slice = sliceAlongDirection(model, explainer, x, direction, options);

        const auto unit = direction / direction.abs().max();
        QCOMPARE(slice.steps.size(0), int64_t(21));
        QCOMPARE(slice.steps[centreOf(slice)].item<double>(), 0.0);
        QVERIFY(torch::allclose(slice.steps, torch::linspace(-0.2, 0.2, 21, torch::kFloat64), 0, 1e-15));
        QCOMPARE(slice.explainedClass, int64_t(0));
        const auto points = x + slice.steps.view({-1, 1, 1, 1}) * unit;
        const auto f = (weights * points * points).flatten(1).sum(1);
        QVERIFY(torch::allclose(slice.explainedLogit, f, 1e-12, 1e-12));
        QVERIFY(torch::allclose(slice.margin, 2.0 * f, 1e-12, 1e-12));
        const auto gradientNorms = (2.0 * weights * points).flatten(1).norm(2, {1});
        QVERIFY(torch::allclose(slice.gradientNorm, gradientNorms, 1e-10, 1e-12));
        // d²f/dt² = 2 Σ w·d² everywhere; central differences are exact for a quadratic up to rounding.
        const double curvature = 2.0 * (weights * unit * unit).sum().item<double>();
        QVERIFY(std::isnan(slice.logitCurvature[0].item<double>()) && std::isnan(slice.logitCurvature[20].item<double>()));
        const auto inner = slice.logitCurvature.slice(0, 1, 20);
        const double worst = (inner - curvature).abs().max().item<double>();
        QVERIFY2(worst < 1e-6 * curvature, qPrintable(QString("worst |d2f - closed form| %1 of %2").arg(worst).arg(curvature)));
        // The map at t = 0 is itself (SSIM 1, cosine 1); VG's map is the signed gradient 2w·x.
        QCOMPARE(slice.ssim[centreOf(slice)].item<double>(), 1.0);
        QVERIFY(std::abs(slice.cosine[centreOf(slice)].item<double>() - 1.0) < 1e-12);
        QVERIFY(torch::allclose(slice.maps[centreOf(slice)].to(torch::kFloat64), (2.0 * weights * x)[0][0], 1e-6, 1e-6));
        // Cosine of each map to the centre's, recomputed here.
        const auto maps = slice.maps.flatten(1).to(torch::kFloat64);
        const auto centre = maps[centreOf(slice)];
        const auto cosine = maps.matmul(centre) / (maps.norm(2, {1}) * centre.norm());
        QVERIFY(torch::allclose(slice.cosine, cosine, 1e-9, 1e-9));
    }

    void refusesWhatNamesNoSlice() {
        QuadraticClassifier model(torch::ones({1, 4, 4}, torch::kFloat64));
        SaliencyExplainer explainer(model, vanillaGradient());
        const auto x = torch::rand({1, 1, 4, 4}, torch::kFloat64);
        const auto direction = torch::randn({1, 1, 4, 4}, torch::kFloat64);
        const auto refusal = [&](const torch::Tensor& d, InputSliceOptions options) -> QString {
            try {
                sliceAlongDirection(model, explainer, x, d, options);
            } catch (const InputError& error) {
                return QString::fromStdString(error.what());
            }
            return {};
        };
        InputSliceOptions zeroRadius;
        zeroRadius.radius = 0.0;
        QVERIFY2(refusal(direction, zeroRadius).contains("--radius"), qPrintable(refusal(direction, zeroRadius)));
        InputSliceOptions evenPoints;
        evenPoints.points = 10;
        QVERIFY(refusal(direction, evenPoints).contains("must be odd"));
        QVERIFY(refusal(torch::zeros_like(direction), {}).contains("the direction is zero (or not finite)"));
        QVERIFY(refusal(direction * std::numeric_limits<double>::quiet_NaN(), {}).contains("the direction is zero (or not finite)"));
        QVERIFY(refusal(direction, {}).isEmpty());
        // A 4×4 map is smaller than SSIM's 5×5 window: its SSIM is undefined, the rest of the slice is not.
        const auto slice = sliceAlongDirection(model, explainer, x, direction, {});
        QVERIFY(torch::isnan(slice.ssim).all().item<bool>());
        QVERIFY(torch::isfinite(slice.cosine).all().item<bool>() && torch::isfinite(slice.gradientNorm).all().item<bool>());
    }
};

QTEST_APPLESS_MAIN(TestInputSlice)
#include "TestInputSlice.moc"
