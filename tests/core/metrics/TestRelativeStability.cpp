#include "metrics/RelativeStability.h"
#include "TestSupport.h"

using namespace sw;

/// A linear model h(x) = W·x explained by Gradient×Input, e = x ⊙ W_c, has (e−e′)/e = (x−x′)/x elementwise,
/// so RIS = 1 exactly and ROS = ‖(x−x′)/x‖ / ‖W(x−x′)‖.
class TestRelativeStability : public QObject {
    Q_OBJECT
private:
    torch::Tensor m_weights = torch::rand({3, 1, 4, 4}, torch::kFloat64) + 0.5;  // classes × C×H×W

    ExplainedModel linearModel() {
        ExplainedModel model;
        model.logits = [this](const torch::Tensor& x) { return torch::matmul(x.flatten(1), m_weights.flatten(1).t()); };
        model.explain = [this](const torch::Tensor& x, const torch::Tensor& targets) { return x * m_weights.index_select(0, targets); };
        return model;
    }

private Q_SLOTS:
    void objectivesHaveTheClosedForm() {
        const auto x = torch::rand({5, 1, 4, 4}, torch::kFloat64) + 0.1;
        const auto xPerturbed = x + torch::rand_like(x) * 0.1;
        const auto targets = torch::tensor({0, 1, 2, 0, 1}, torch::kInt64);
        auto model = linearModel();
        const auto e = model.explain(x, targets), ePerturbed = model.explain(xPerturbed, targets);
        const auto ris = relativeInputStabilityObjective(x, xPerturbed, e, ePerturbed);
        QVERIFY(torch::allclose(ris, torch::ones({5}, torch::kFloat64), 1e-12, 1e-12));
        const auto ros = relativeOutputStabilityObjective(model.logits(x), model.logits(xPerturbed), e, ePerturbed);
        const auto expected =
            ((x - xPerturbed) / x).flatten(1).norm(2, 1) / torch::matmul((x - xPerturbed).flatten(1), m_weights.flatten(1).t()).norm(2, 1);
        QVERIFY(torch::allclose(ros, expected, 1e-12, 1e-12));
    }
    void zeroDivisorsUseEpsMin() {
        const auto x = torch::zeros({1, 1, 2, 2}, torch::kFloat64);
        const auto xPerturbed = torch::full({1, 1, 2, 2}, 0.1, torch::kFloat64);
        const auto e = torch::zeros({1, 1, 2, 2}, torch::kFloat64);
        const auto ePerturbed = torch::full({1, 1, 2, 2}, 0.2, torch::kFloat64);
        // numerator ‖0.2/1e-6‖ over 4 entries, denominator ‖0.1/1e-6‖ over 4 entries
        QVERIFY(std::abs(relativeInputStabilityObjective(x, xPerturbed, e, ePerturbed)[0].item<double>() - 2.0) < 1e-9);
        // identical logits: the denominator becomes ε_min
        const auto logits = torch::ones({1, 3}, torch::kFloat64);
        const double expectedRos = (0.2 / 1e-6 * 2.0) / 1e-6;
        QVERIFY(std::abs(relativeOutputStabilityObjective(logits, logits, e, ePerturbed)[0].item<double>() / expectedRos - 1.0) < 1e-9);
    }
    void maximisesOverSamplesAndMarksChangedPredictions() {
        const auto x = torch::rand({6, 1, 4, 4}, torch::kFloat64) + 0.1;
        auto model = linearModel();
        const auto targets = model.logits(x).argmax(1);
        RelativeStabilityOptions options;
        options.samples = 5;
        const auto scores = relativeStability(model, x, targets, model.explain(x, targets), options);
        // RIS is 1 for every perturbation that keeps the prediction; the others are NaN.
        const auto finite = scores.ris.isnan().logical_not();
        QVERIFY(
            torch::allclose(scores.ris.masked_select(finite), torch::ones({finite.sum().item<int64_t>()}, torch::kFloat64), 1e-9, 1e-9));
        QVERIFY(torch::equal(scores.ros.isnan(), scores.ris.isnan()));

        // A model whose prediction flips under any positive shift: every instance is NaN.
        ExplainedModel flipping = model;
        flipping.logits = [](const torch::Tensor& v) {
            const auto s = v.flatten(1).sum(1, true);
            return torch::cat({torch::sin(1000 * s), -torch::sin(1000 * s)}, 1);
        };
        const auto flipped = relativeStability(flipping, x, targets.remainder(2), model.explain(x, targets), options);
        QVERIFY(flipped.ris.isnan().sum().item<int64_t>() >= 3);
        options.nanWhenPredictionChanges = false;
        QVERIFY(
            relativeStability(flipping, x, targets.remainder(2), model.explain(x, targets), options).ris.isnan().sum().item<int64_t>() ==
            0);
    }
};

QTEST_APPLESS_MAIN(TestRelativeStability)
#include "TestRelativeStability.moc"
