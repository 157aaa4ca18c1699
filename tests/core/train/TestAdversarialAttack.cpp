#include <torch/nn/functional/loss.h>

#include "data/BatchSampler.h"
#include "train/AdversarialAttack.h"
#include "train/Evaluation.h"
#include "util/Feedback.h"
#include "TestSupport.h"

using namespace sw;

/// On a linear model f(x) = Wx + b the cross-entropy gradient has a closed form,
/// ∇ₓ = Wᵀ(softmax(f(x)) − onehot(y)), so one FGSM step without random start is known exactly.
class TestAdversarialAttack : public QObject {
    Q_OBJECT
private:
    torch::Tensor m_weight = torch::randn({3, 8}, torch::TensorOptions().dtype(torch::kFloat64));
    LogitsFunction linear() {
        return [this](const torch::Tensor& x) { return torch::matmul(x.view({x.size(0), -1}), m_weight.t()); };
    }

private Q_SLOTS:
    void singleStepMatchesClosedForm() {
        const auto x = torch::rand({4, 8}, torch::kFloat64) * 0.6 + 0.2;
        const auto y = torch::tensor({0, 1, 2, 1}, torch::kInt64);
        AttackConfig config;
        config.kind = "pgd";
        config.epsilon = 0.1;
        config.steps = 1;
        config.stepSize = 0.1;
        config.randomStart = false;
        auto generator = makeGenerator(0, 0);
        const auto adversarial = adversarialExamples(linear(), x, y, config, generator);
        const auto probabilities = torch::softmax(torch::matmul(x, m_weight.t()), 1);
        const auto gradient = torch::matmul(probabilities - torch::one_hot(y, 3).to(torch::kFloat64), m_weight);
        QVERIFY(torch::allclose(adversarial, (x + 0.1 * gradient.sign()).clamp(0, 1)));
    }
    void iteratesStayInTheBallAndIncreaseTheLoss() {
        const auto x = torch::rand({16, 8}, torch::kFloat64);
        const auto y = torch::randint(0, 3, {16}, torch::kInt64);
        for (const char* kind : {"pgd", "fgsm-rs", "trades"}) {
            AttackConfig config;
            config.kind = kind;
            config.epsilon = 0.05;
            config.steps = 10;
            auto generator = makeGenerator(1, 2);
            const auto adversarial = adversarialExamples(linear(), x, y, config, generator);
            QVERIFY((adversarial - x).abs().max().item<double>() <= 0.05 + 1e-12);
            QVERIFY(adversarial.min().item<double>() >= 0.0 && adversarial.max().item<double>() <= 1.0);
            if (std::string(kind) != "trades") {
                const auto clean = torch::nn::functional::cross_entropy(linear()(x), y).item<double>();
                const auto attacked = torch::nn::functional::cross_entropy(linear()(adversarial), y).item<double>();
                QVERIFY2(attacked > clean, kind);
            }
        }
    }
    void randomStartIsReproducible() {
        const auto x = torch::rand({4, 8}, torch::kFloat64);
        const auto y = torch::zeros({4}, torch::kInt64);
        AttackConfig config;
        config.kind = "pgd";
        config.steps = 2;
        auto a = makeGenerator(5, 9), b = makeGenerator(5, 9);
        QVERIFY(torch::equal(adversarialExamples(linear(), x, y, config, a), adversarialExamples(linear(), x, y, config, b)));
    }
    void cancelStopsBeforeTheNextStep() {
        Feedback feedback;
        feedback.cancel();
        int calls = 0;
        LogitsFunction counting = [&](const torch::Tensor& x) {
            ++calls;
            return linear()(x);
        };
        AttackConfig config;
        config.kind = "pgd";
        config.steps = 40;
        auto generator = makeGenerator(0, 0);
        QVERIFY_THROWS_EXCEPTION(Cancelled, adversarialExamples(counting, torch::rand({2, 8}, torch::kFloat64),
                                                                torch::zeros({2}, torch::kInt64), config, generator, {}, &feedback));
        QCOMPARE(calls, 0);
    }
    void robustAccuracyAlwaysUsesPgd() {
        ModelDescription natural;
        auto attack = robustnessAttackFor(natural);
        QCOMPARE(attack.kind, std::string("pgd"));
        QCOMPARE(attack.epsilon, 0.1);
        QCOMPARE(attack.steps, int64_t(40));
        ModelDescription fast;
        fast.training = {{"adversarial", {{"kind", "fgsm-rs"}, {"epsilon", 0.05}}}};
        attack = robustnessAttackFor(fast);
        QCOMPARE(attack.kind, std::string("pgd"));
        QCOMPARE(attack.epsilon, 0.05);
        QVERIFY(std::abs(attack.resolvedStepSize() - 0.005) < 1e-12);
        ModelDescription pgd;
        pgd.training = {{"adversarial", {{"kind", "pgd"}, {"epsilon", 0.3}, {"steps", 7}, {"step_size", 0.05}}}};
        attack = robustnessAttackFor(pgd);
        QCOMPARE(attack.steps, int64_t(7));
        QCOMPARE(attack.resolvedStepSize(), 0.05);
    }
    void defaultsAndValidation() {
        AttackConfig pgd;
        pgd.kind = "pgd";
        pgd.epsilon = 0.1;
        QVERIFY(std::abs(pgd.resolvedStepSize() - 0.01) < 1e-12);
        AttackConfig fast;
        fast.kind = "fgsm-rs";
        fast.epsilon = 0.1;
        QVERIFY(std::abs(fast.resolvedStepSize() - 0.125) < 1e-12);
        pgd.epsilon = 2.0;
        sw::test::expectErrorMentioning([&] { pgd.validate(); }, {"--eps", "(0, 1]"});
        AttackConfig unknown;
        unknown.kind = "cw";
        sw::test::expectErrorMentioning([&] { unknown.validate(); }, {"--adv cw"});
        QCOMPARE(AttackConfig::fromJson(fast.toJson()).resolvedStepSize(), fast.resolvedStepSize());
    }
};

QTEST_APPLESS_MAIN(TestAdversarialAttack)
#include "TestAdversarialAttack.moc"
