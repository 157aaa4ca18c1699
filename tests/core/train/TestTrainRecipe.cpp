#include "train/TrainRecipe.h"
#include "TestSupport.h"

using namespace sw;

class TestTrainRecipe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void schedules() {
        TrainRecipe recipe;
        recipe.schedule = "constant";
        recipe.learningRate = 0.1;
        QCOMPARE(recipe.learningRateAt(500, 1000), 0.1);
        recipe.schedule = "step";
        recipe.milestones = {40, 50};
        QCOMPARE(recipe.learningRateAt(39, 70), 0.1);
        QVERIFY(std::abs(recipe.learningRateAt(40, 70) - 0.01) < 1e-15);
        QVERIFY(std::abs(recipe.learningRateAt(69, 70) - 0.001) < 1e-15);
        recipe.schedule = "cosine";
        QCOMPARE(recipe.learningRateAt(0, 100), 0.1);
        QVERIFY(std::abs(recipe.learningRateAt(50, 100) - 0.05) < 1e-12);
        QVERIFY(recipe.learningRateAt(100, 100) < 1e-12);
    }
    void presetsCarryTheAuthorsRecipes() {
        const auto adversarial = TrainRecipe::preset("fmnist-adversarial");
        QCOMPARE(adversarial.learningRate, 1e-4);
        QCOMPARE(adversarial.schedule, std::string("constant"));
        QCOMPARE(adversarial.epochs, int64_t(40));
        QCOMPARE(adversarial.adversarial.steps, int64_t(40));
        QVERIFY(std::abs(adversarial.adversarial.resolvedStepSize() - 0.01) < 1e-12);
        const auto cifar = TrainRecipe::preset("cifar10-wrn");
        QCOMPARE(cifar.optimizer, std::string("sgd"));
        QVERIFY(cifar.nesterov);
        QCOMPARE(cifar.milestones, (std::vector<int64_t>{40000, 50000}));
        QVERIFY(std::abs(cifar.adversarial.epsilon - 8.0 / 255.0) < 1e-12);
        sw::test::expectErrorMentioning([] { TrainRecipe::preset("mine"); }, {"--preset mine", "fmnist-natural"});
    }
    void jsonRoundTrip() {
        auto recipe = TrainRecipe::preset("cifar10-wrn");
        recipe.seed = 77;
        QCOMPARE(TrainRecipe::fromJson(recipe.toJson()).toJson(), recipe.toJson());
    }
    void validation() {
        TrainRecipe recipe;
        recipe.optimizer = "lbfgs";
        sw::test::expectErrorMentioning([&] { recipe.validate(); }, {"--optimizer lbfgs"});
        recipe = {};
        recipe.batchSize = 0;
        sw::test::expectErrorMentioning([&] { recipe.validate(); }, {"--batch-size"});
    }
};

QTEST_APPLESS_MAIN(TestTrainRecipe)
#include "TestTrainRecipe.moc"
