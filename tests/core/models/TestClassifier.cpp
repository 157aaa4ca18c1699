#include "models/Classifier.h"
#include "TestSupport.h"

using namespace sw;

namespace {
ModelDescription describe(const std::string& arch, std::array<int64_t, 3> shape, int classes = 10) {
    ModelDescription description;
    description.arch = arch;
    description.inputShape = shape;
    for (int k = 0; k < classes; ++k) description.classes.push_back("c" + std::to_string(k));
    return description;
}
}  // namespace

class TestClassifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lenetHasThePapersLayersAndKeys() {
        Classifier lenet(describe("lenet", {1, 28, 28}));
        QCOMPARE(lenet->forward(torch::rand({3, 1, 28, 28})).sizes().vec(), (std::vector<int64_t>{3, 10}));
        const auto parameters = lenet->named_parameters();
        // Checkpoint keys are a file format.
        for (const char* key : {"conv1.weight", "conv1.bias", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.bias"}) {
            QVERIFY2(parameters.contains(key), key);
        }
        QCOMPARE(parameters["conv1.weight"].sizes().vec(), (std::vector<int64_t>{6, 1, 5, 5}));
        QCOMPARE(parameters["fc1.weight"].sizes().vec(), (std::vector<int64_t>{120, 256}));
        QCOMPARE(parameters["fc3.weight"].sizes().vec(), (std::vector<int64_t>{10, 84}));
        QVERIFY(lenet->named_buffers().contains("normalize.mean"));
    }
    void smoothingBlockGoesAfterPool1WithTheAuthorsSigma() {
        auto description = describe("lenet", {1, 28, 28});
        description.smoothing.push_back({"gaussian", "pool1", 3, std::nullopt});
        Classifier lenet(description);
        const auto parameters = lenet->named_parameters();
        QVERIFY(parameters.contains("smooth_pool1.mix.weight"));
        QCOMPARE(parameters["smooth_pool1.mix.weight"].sizes().vec(), (std::vector<int64_t>{6, 6, 1, 1}));
        // feature map 6×12×12 → σ = 0.3·((12−1)·0.5−1)+0.8
        QVERIFY(std::abs(*lenet->description().smoothing[0].sigma - 2.15) < 1e-9);
        QCOMPARE(lenet->forward(torch::rand({2, 1, 28, 28})).size(1), int64_t(10));
    }
    void severalBlocksAndUnknownStage() {
        auto description = describe("lenet", {1, 28, 28});
        description.smoothing = {{"mean", "pool1", 3, {}}, {"median", "pool2", 3, {}}};
        Classifier lenet(description);
        QVERIFY(lenet->named_parameters().contains("smooth_pool2.mix.weight"));
        description.smoothing = {{"gaussian", "pool9", 3, {}}};
        sw::test::expectErrorMentioning([&] { Classifier bad(description); }, {"pool9", "no such stage", "pool1"});
        description.smoothing = {{"gaussian", "fc1", 3, {}}};
        sw::test::expectErrorMentioning([&] { Classifier bad(description); }, {"fc1", "not a feature map"});
    }
    void residualNetworksBuildAndTakeBlocks() {
        auto resnet = describe("resnet18", {3, 32, 32});
        resnet.smoothing.push_back({"gaussian", "layer1", 3, 1.0});
        Classifier cifar(resnet);
        cifar->eval();
        QCOMPARE(cifar->forward(torch::rand({2, 3, 32, 32})).sizes().vec(), (std::vector<int64_t>{2, 10}));
        QVERIFY(cifar->named_parameters().contains("layer2.0.downsample.0.weight"));
        Classifier wide(describe("wrn-10-1", {3, 16, 16}, 4));
        QCOMPARE(wide->forward(torch::rand({2, 3, 16, 16})).size(1), int64_t(4));
        Classifier imagenet(describe("resnet18-imagenet", {3, 64, 64}, 5));
        QCOMPARE(imagenet->forward(torch::rand({1, 3, 64, 64})).size(1), int64_t(5));
        sw::test::expectErrorMentioning([] { Classifier bad(describe("wrn-15-2", {3, 32, 32})); }, {"6n+4"});
        sw::test::expectErrorMentioning([] { Classifier bad(describe("vgg", {3, 32, 32})); }, {"vgg", "unknown architecture"});
    }
    void wrongInputShapeIsAClearError() {
        Classifier lenet(describe("lenet", {1, 28, 28}));
        sw::test::expectErrorMentioning([&] { lenet->forward(torch::rand({1, 3, 32, 32})); }, {"expects 1x28x28", "3x32x32"});
    }
    void normalisationIsTheFirstLayer() {
        auto description = describe("lenet", {1, 28, 28});
        description.normalizationMean = {0.5};
        description.normalizationStd = {0.25};
        Classifier normalized(description);
        Classifier plain(describe("lenet", {1, 28, 28}));
        torch::NoGradGuard noGrad;
        for (auto& item : plain->named_parameters()) item.value().copy_(normalized->named_parameters()[item.key()]);
        const auto x = torch::rand({2, 1, 28, 28});
        QVERIFY(torch::allclose(normalized->forward(x), plain->forward((x - 0.5) / 0.25), 1e-5, 1e-5));
    }
};

QTEST_APPLESS_MAIN(TestClassifier)
#include "TestClassifier.moc"
