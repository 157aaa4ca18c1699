#include "data/DatasetLoader.h"
#include "models/NativeClassifier.h"
#include "train/Evaluation.h"
#include "train/Trainer.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

namespace {

Dataset shapes(int64_t count, const std::string& split) {
    return loadDataset(DatasetSpec::parse("shapes:" + std::to_string(count) + ":3:" + split));
}

Classifier freshLenet(uint64_t seed) {
    ModelDescription description;
    description.arch = "lenet";
    description.classes = {"circle", "square", "triangle", "cross"};
    description.normalizationMean = {0.4};
    description.normalizationStd = {0.2};
    description.smoothing.push_back({"gaussian", "pool1", 3, std::nullopt});
    torch::manual_seed(seed);
    return Classifier(description);
}

TrainRecipe shortRecipe(int64_t steps, const std::string& attack = "none") {
    TrainRecipe recipe;
    recipe.maxSteps = steps;
    recipe.schedule = "constant";  // a cosine schedule depends on the budget, which resume may extend
    recipe.batchSize = 16;
    recipe.seed = 11;
    recipe.adversarial.kind = attack;
    recipe.adversarial.epsilon = 0.05;
    recipe.adversarial.steps = 3;
    return recipe;
}

bool sameParameters(const Classifier& a, const Classifier& b) {
    const auto left = a->named_parameters(), right = b->named_parameters();
    for (const auto& item : left) {
        if (!torch::equal(item.value(), right[item.key()])) return false;
    }
    return true;
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void learnsTheShapesSet() {
        const auto train = shapes(2000, "train");
        auto network = freshLenet(1);
        TrainRecipe recipe = shortRecipe(0);
        recipe.epochs = 10;
        recipe.batchSize = 32;
        Trainer trainer(network, recipe, {});
        Feedback feedback;
        trainer.run(train, &feedback);
        QCOMPARE(trainer.globalStep(), int64_t(10 * 63));
        NativeClassifier model(network);
        const auto report = evaluateAccuracy(model, shapes(400, "test"), {}, &feedback);
        qInfo("shapes test accuracy after 10 epochs: %.3f", report.accuracy);
        QVERIFY2(report.accuracy > 0.8, "a LeNet should learn four shapes well above chance (0.25)");
    }
    void sameSeedSameWeights() {
        const auto train = shapes(128, "train");
        auto first = freshLenet(2), second = freshLenet(2);
        Feedback feedback;
        Trainer(first, shortRecipe(12, "fgsm-rs"), {}).run(train, &feedback);
        Trainer(second, shortRecipe(12, "fgsm-rs"), {}).run(train, &feedback);
        QVERIFY(sameParameters(first, second));
        auto third = freshLenet(2);
        auto otherSeed = shortRecipe(12, "fgsm-rs");
        otherSeed.seed = 12;
        Trainer(third, otherSeed, {}).run(train, &feedback);
        QVERIFY(!sameParameters(first, third));
    }
    void resumeContinuesExactly() {
        const auto train = shapes(100, "train");  // 7 steps per epoch: the split crosses an epoch boundary
        Feedback feedback;
        auto straight = freshLenet(3);
        Trainer(straight, shortRecipe(20, "pgd"), {}).run(train, &feedback);

        const auto checkpoint = dir() / "resume.ckpt";
        TrainerOptions options;
        options.checkpointPath = checkpoint;
        auto firstHalf = freshLenet(3);
        Trainer(firstHalf, shortRecipe(9, "pgd"), options).run(train, &feedback);
        QVERIFY(fs::exists(checkpoint));

        auto resumed = freshLenet(99);  // different initial weights: all must come from the checkpoint
        Trainer second(resumed, shortRecipe(20, "pgd"), options);
        second.resumeFrom(checkpoint);
        QCOMPARE(second.globalStep(), int64_t(9));
        second.run(train, &feedback);
        QVERIFY2(sameParameters(straight, resumed), "resumed run diverged from the uninterrupted one");

        auto different = shortRecipe(20, "pgd");
        different.learningRate = 0.5;
        Trainer refuses(freshLenet(3), different, options);
        sw::test::expectErrorMentioning([&] { refuses.resumeFrom(checkpoint); }, {"resume.ckpt", "different recipe"});
    }
    void cancelStopsWithinABatchAndCheckpoints() {
        const auto train = shapes(256, "train");
        Feedback feedback;
        TrainerOptions options;
        options.checkpointPath = dir() / "cancel.ckpt";
        options.reportEverySteps = 1;
        options.observer = [&](const TrainProgress& progress) {
            if (progress.step == 5) feedback.cancel();
        };
        Trainer trainer(freshLenet(4), shortRecipe(1000, "pgd"), options);
        QVERIFY_THROWS_EXCEPTION(Cancelled, trainer.run(train, &feedback));
        QCOMPARE(trainer.globalStep(), int64_t(5));
        QVERIFY(fs::exists(options.checkpointPath));
        Trainer resumed(freshLenet(4), shortRecipe(1000, "pgd"), {});
        resumed.resumeFrom(options.checkpointPath);
        QCOMPARE(resumed.globalStep(), int64_t(5));
    }
    void nanLossStopsAndKeepsTheLastGoodCheckpoint() {
        const auto train = shapes(64, "train");
        const auto checkpoint = dir() / "nan.ckpt";
        TrainerOptions options;
        options.checkpointPath = checkpoint;
        auto network = freshLenet(5);
        Feedback feedback;
        Trainer(network, shortRecipe(4), options).run(train, &feedback);
        const auto goodSize = fs::file_size(checkpoint);
        const auto goodTime = fs::last_write_time(checkpoint);
        {
            torch::NoGradGuard noGrad;
            network->named_parameters()["fc3.bias"][0] = std::numeric_limits<float>::quiet_NaN();
        }
        Trainer diverging(network, shortRecipe(8), options);
        diverging.resumeFrom(checkpoint);
        {
            torch::NoGradGuard noGrad;  // resume reloaded good weights; poison again
            network->named_parameters()["fc3.bias"][0] = std::numeric_limits<float>::quiet_NaN();
        }
        sw::test::expectErrorMentioning([&] { diverging.run(train, &feedback); },
                                        {"step 5", "NaN", "last good checkpoint", checkpoint.string()});
        QCOMPARE(fs::file_size(checkpoint), goodSize);
        QVERIFY(fs::last_write_time(checkpoint) == goodTime);
        Trainer check(freshLenet(5), shortRecipe(8), {});
        check.resumeFrom(checkpoint);
        for (const auto& parameter : check.network()->parameters()) QVERIFY(torch::isfinite(parameter).all().item<bool>());
    }
    void reportsProgress() {
        const auto train = shapes(64, "train");
        std::vector<TrainProgress> reports;
        TrainerOptions options;
        options.reportEverySteps = 2;
        options.observer = [&](const TrainProgress& progress) { reports.push_back(progress); };
        Feedback feedback;
        Trainer(freshLenet(6), shortRecipe(8), options).run(train, &feedback);
        QCOMPARE(reports.size(), size_t(4));
        QCOMPARE(reports.back().step, int64_t(8));
        QCOMPARE(reports.back().totalSteps, int64_t(8));
        QCOMPARE(reports.back().epoch, int64_t(1));
        QVERIFY(reports.back().examplesPerSecond > 0);
        QVERIFY(std::isfinite(reports.back().loss));
        QCOMPARE(feedback.progress(), 1.0);
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "TestTrainer.moc"
