#include "explain/IntegrationRule.h"
#include "explain/SaliencyExplainer.h"
#include "io/NpyFile.h"
#include "models/ModelFile.h"
#include "models/NativeClassifier.h"
#include "util/Feedback.h"
#include "core/QuadraticClassifier.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

namespace {

fs::path fixtures() { return fs::path(SW_TEST_FIXTURES_DIR) / "saliency"; }

using test::QuadraticClassifier;

Classifier nativeLenet() {
    ModelDescription description;
    description.arch = "lenet";
    description.classes = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    description.normalizationMean = {0.2860};
    description.normalizationStd = {0.3530};
    torch::manual_seed(4);
    Classifier network(description);
    network->eval();
    return network;
}

SaliencyConfig method(const std::string& name) {
    SaliencyConfig config;
    config.method = name;
    return config;
}

}  // namespace

class TestSaliencyExplainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void vanillaGradientMatchesFiniteDifferences() {
        auto network = nativeLenet();
        network->to(torch::kFloat64);
        NativeClassifier model(network);
        auto config = method("vg");
        config.absolute = false;
        SaliencyExplainer explainer(model, config);
        const auto x = torch::rand({2, 1, 28, 28}, torch::kFloat64);
        const auto targets = torch::tensor({3, 7}, torch::kInt64);
        const auto gradient = explainer.attribute(x, targets);
        const double h = 1e-6;
        for (int64_t sample = 0; sample < 2; ++sample) {
            for (int64_t pixel = 0; pixel < 784; pixel += 37) {
                auto plus = x[sample].clone(), minus = x[sample].clone();
                plus.view(-1)[pixel] += h;
                minus.view(-1)[pixel] -= h;
                torch::NoGradGuard noGrad;
                const auto t = targets[sample].item<int64_t>();
                const double numeric =
                    (model.logits(plus.unsqueeze(0))[0][t].item<double>() - model.logits(minus.unsqueeze(0))[0][t].item<double>()) /
                    (2 * h);
                QVERIFY(std::abs(numeric - gradient[sample].view(-1)[pixel].item<double>()) < 1e-5);
            }
        }
        auto absoluteConfig = method("vg");
        SaliencyExplainer absolute(model, absoluteConfig);
        QVERIFY(torch::allclose(absolute.attribute(x, targets), gradient.abs()));
    }
    void integrationRulesMatchTheQuadraticClosedForm() {
        const auto weights = torch::rand({1, 4, 4}, torch::kFloat64) + 0.5;
        QuadraticClassifier model(weights);
        const auto x = torch::rand({3, 1, 4, 4}, torch::kFloat64);
        const auto targets = torch::zeros({3}, torch::kInt64);
        const int64_t n = 8;
        // ∫₀¹ 2α dα = 1, and each rule's Σ wᵢ·2αᵢ: left (n−1)/n, right (n+1)/n, middle and Gauss–Legendre exact,
        // Captum's trapezoid (steps 1/n, ends halved, αᵢ = i/(n−1)) (n−1)/n.
        const std::vector<std::pair<std::string, double>> expected = {{"riemann_left", double(n - 1) / n},
                                                                      {"riemann_right", double(n + 1) / n},
                                                                      {"riemann_middle", 1.0},
                                                                      {"riemann_trapezoid", double(n - 1) / n},
                                                                      {"gausslegendre", 1.0}};
        for (const auto& [rule, factor] : expected) {
            auto config = method("ig");
            config.igSteps = n;
            config.igRule = rule;
            config.maxBatch = 5;  // forces chunks that split one image's steps
            SaliencyExplainer explainer(model, config);
            const auto attributions = explainer.attribute(x, targets);
            QVERIFY2(torch::allclose(attributions, weights * x * x * factor, 1e-10, 1e-12), rule.c_str());
        }
    }
    void integratedGradientsAreComplete() {
        NativeClassifier model(nativeLenet());
        auto config = method("ig");
        config.igSteps = 200;
        SaliencyExplainer explainer(model, config);
        const auto x = torch::rand({4, 1, 28, 28});
        const auto targets = explainer.resolveTargets(x, {});
        const auto attributions = explainer.attribute(x, targets);
        torch::NoGradGuard noGrad;
        const auto atInput = model.logits(x).gather(1, targets.view({-1, 1})).squeeze(1);
        const auto atBaseline = model.logits(torch::zeros_like(x)).gather(1, targets.view({-1, 1})).squeeze(1);
        const auto gap = atInput - atBaseline;
        const auto total = attributions.sum({1, 2, 3});
        qInfo("completeness: sum %.5f vs f(x)-f(0) %.5f", total[0].item<double>(), gap[0].item<double>());
        QVERIFY(((total - gap).abs() <= 0.02 * gap.abs() + 1e-3).all().item<bool>());
    }
    void gaussLegendreNodesMatchNumpy() {
        const auto reference = readNpy(fixtures() / "leggauss50.npy");
        const auto rule = makeIntegrationRule("gausslegendre", 50);
        for (int64_t i = 0; i < 50; ++i) {
            QVERIFY(std::abs(rule.alphas[size_t(i)] - 0.5 * (reference[0][i].item<double>() + 1)) < 1e-13);
            QVERIFY(std::abs(rule.weights[size_t(i)] - 0.5 * reference[1][i].item<double>()) < 1e-13);
        }
    }
    void matchesPythonReferencesThroughTorchScript() {
        auto model = loadModel(fixtures() / "model.pt");
        const auto pixels = readNpy(fixtures() / "pixels.npy");
        const auto targets = readNpy(fixtures() / "targets.npy");
        SaliencyExplainer predicted(*model, method("vg"));
        QVERIFY(torch::equal(predicted.resolveTargets(pixels, {}), targets));
        QVERIFY(torch::allclose(SaliencyExplainer(*model, method("vg")).attribute(pixels, targets), readNpy(fixtures() / "vg.npy"), 1e-4,
                                1e-6));
        QVERIFY(torch::allclose(SaliencyExplainer(*model, method("gxi")).attribute(pixels, targets), readNpy(fixtures() / "gxi.npy"), 1e-4,
                                1e-6));
        for (const char* rule : {"gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"}) {
            auto config = method("ig");
            config.igSteps = 20;
            config.igRule = rule;
            const auto ours = SaliencyExplainer(*model, config).attribute(pixels, targets);
            const auto theirs = readNpy(fixtures() / (std::string("ig_") + rule + ".npy"));
            QVERIFY2(torch::allclose(ours, theirs, 1e-3, 1e-5), rule);
        }
    }
    void nativeAndTorchScriptCopiesAgree() {
        auto network = nativeLenet();
        {
            torch::NoGradGuard noGrad;
            for (auto& item : network->named_parameters()) item.value().copy_(readNpy(fixtures() / ("native_twin_" + item.key() + ".npy")));
            for (auto& item : network->named_buffers()) item.value().copy_(readNpy(fixtures() / ("native_twin_" + item.key() + ".npy")));
        }
        NativeClassifier native(network);
        auto script = loadModel(fixtures() / "native_twin.pt");
        const auto pixels = readNpy(fixtures() / "pixels.npy");
        for (const char* name : {"vg", "ig", "sg", "gxi", "vargrad"}) {
            auto config = method(name);
            config.igSteps = 16;
            config.sgSamples = 4;
            SaliencyExplainer a(native, config), b(*script, config);
            const auto targets = a.resolveTargets(pixels, {});
            QVERIFY(torch::equal(targets, b.resolveTargets(pixels, {})));
            QVERIFY2(torch::allclose(a.attribute(pixels, targets), b.attribute(pixels, targets), 1e-5, 1e-7), name);
        }
    }
    void noiseTunnelLimitsAndDeterminism() {
        NativeClassifier model(nativeLenet());
        const auto x = torch::rand({3, 1, 28, 28});
        const auto targets = torch::tensor({1, 2, 3}, torch::kInt64);
        auto smooth = method("sg");
        smooth.sgSigma = 0.0;
        smooth.sgSamples = 3;
        QVERIFY(torch::allclose(SaliencyExplainer(model, smooth).attribute(x, targets),
                                SaliencyExplainer(model, method("vg")).attribute(x, targets), 1e-6, 1e-8));
        auto variance = method("vargrad");
        variance.sgSigma = 0.0;
        const auto squaredScale = SaliencyExplainer(model, method("vg")).attribute(x, targets).pow(2).max().item<float>();
        QVERIFY(SaliencyExplainer(model, variance).attribute(x, targets).abs().max().item<float>() < 1e-6f * squaredScale);
        smooth.sgSigma = 0.2;
        smooth.sgSamples = 10;
        SaliencyExplainer repeated(model, smooth);
        const auto first = repeated.attribute(x, targets);
        // Every call draws fresh noise, as Captum does, so clean and perturbed maps never share noise.
        QVERIFY(!torch::allclose(first, repeated.attribute(x, targets)));
        smooth.maxBatch = 7;
        QVERIFY(torch::allclose(first, SaliencyExplainer(model, smooth).attribute(x, targets), 1e-6, 1e-8));
        smooth.seed = 1;
        QVERIFY(!torch::allclose(first, SaliencyExplainer(model, smooth).attribute(x, targets)));
    }
    void neverTouchesParameterGradients() {
        auto network = nativeLenet();
        NativeClassifier model(network);
        for (const char* name : {"vg", "ig", "sg"}) {
            auto config = method(name);
            config.igSteps = 4;
            config.sgSamples = 2;
            SaliencyExplainer(model, config).attribute(torch::rand({2, 1, 28, 28}), torch::tensor({0, 1}, torch::kInt64));
        }
        for (const auto& parameter : network->parameters()) QVERIFY(!parameter.grad().defined());
    }
    void targetsAndHeatmaps() {
        NativeClassifier model(nativeLenet());
        auto config = method("vg");
        config.target = "label";
        SaliencyExplainer byLabel(model, config);
        const auto labels = torch::tensor({4, 5}, torch::kInt64);
        QVERIFY(torch::equal(byLabel.resolveTargets(torch::rand({2, 1, 28, 28}), labels), labels));
        sw::test::expectErrorMentioning(
            [&] {
                byLabel.resolveTargets(torch::rand({1, 1, 28, 28}), torch::tensor({-1}, torch::kInt64));
            },
            {"--target label", "no label"});
        config.target = "12";
        sw::test::expectErrorMentioning(
            [&] {
                SaliencyExplainer(model, config).resolveTargets(torch::rand({1, 1, 28, 28}), {});
            },
            {"--target 12", "0..9"});
        const auto a = torch::tensor({1.0, -3.0, 2.0, 2.0}).view({1, 2, 1, 2});
        QVERIFY(torch::allclose(heatmapOf(a, "sum"), torch::tensor({3.0, -1.0}).view({1, 1, 2})));
        QVERIFY(torch::allclose(heatmapOf(a, "max"), torch::tensor({2.0, 3.0}).view({1, 1, 2})));
        QVERIFY(torch::allclose(heatmapOf(a, "l2"), torch::tensor({std::sqrt(5.0), std::sqrt(13.0)}).view({1, 1, 2})));
    }
    void cancelThrowsCancelled() {
        NativeClassifier model(nativeLenet());
        Feedback feedback;
        feedback.cancel();
        SaliencyExplainer explainer(model, method("ig"));
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 explainer.attribute(torch::rand({2, 1, 28, 28}), torch::tensor({0, 1}, torch::kInt64), &feedback));
    }
    void badConfigurationsAreRejected() {
        NativeClassifier model(nativeLenet());
        auto config = method("lime");
        sw::test::expectErrorMentioning([&] { SaliencyExplainer(model, config); }, {"--method lime"});
        config = method("ig");
        config.igRule = "simpson";
        sw::test::expectErrorMentioning([&] { SaliencyExplainer(model, config); }, {"--ig-rule simpson"});
    }
};

QTEST_APPLESS_MAIN(TestSaliencyExplainer)
#include "TestSaliencyExplainer.moc"
