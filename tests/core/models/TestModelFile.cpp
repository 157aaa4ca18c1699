#include "io/NpyFile.h"
#include "models/ModelFile.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;
using sw::test::expectErrorMentioning;

class TestModelFile : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    fs::path dir() const { return m_folder.path().toStdString(); }
    static fs::path fixtures() { return fs::path(SW_TEST_FIXTURES_DIR) / "torchscript"; }

    static ModelDescription smoothedLenet() {
        ModelDescription description;
        description.arch = "lenet";
        description.classes = {"a", "b", "c"};
        description.normalizationMean = {0.3};
        description.normalizationStd = {0.4};
        description.smoothing.push_back({"gaussian", "pool1", 3, std::nullopt});
        description.training = {{"optimizer", "adam"}, {"adversarial", {{"kind", "pgd"}, {"epsilon", 0.1}}}};
        description.seed = 42;
        return description;
    }

private Q_SLOTS:
    void nativeRoundTripGivesBitIdenticalLogits() {
        torch::manual_seed(0);
        Classifier original(smoothedLenet());
        original->eval();
        const auto path = dir() / "model.swm";
        saveNativeModel(original, path);
        auto loaded = loadModel(path);
        const auto x = torch::rand({5, 1, 28, 28});
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(original->forward(x), loaded->logits(x)));
        const auto& description = loaded->description();
        QCOMPARE(description.arch, std::string("lenet"));
        QCOMPARE(description.classes, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(description.smoothing.size(), size_t(1));
        QVERIFY(std::abs(*description.smoothing[0].sigma - 2.15) < 1e-12);
        QCOMPARE(description.seed, uint64_t(42));
        QCOMPARE(description.badge(), std::string("adv pgd \u03B5=0.1 +gaussian@pool1"));
        QVERIFY(isNativeModelFile(path));
    }
    void saveLeavesNoTemporaryFiles() {
        Classifier network(smoothedLenet());
        const auto folder = dir() / "atomic";
        saveNativeModel(network, folder / "m.swm");
        saveNativeModel(network, folder / "m.swm");  // overwrite in place
        int files = 0;
        for (const auto& entry : fs::directory_iterator(folder)) files += entry.is_regular_file();
        QCOMPARE(files, 1);
    }
    void corruptAndTruncatedFilesAreNamed() {
        Classifier network(smoothedLenet());
        const auto good = dir() / "good.swm";
        saveNativeModel(network, good);
        const auto truncated = dir() / "truncated.swm";
        fs::copy_file(good, truncated);
        fs::resize_file(truncated, fs::file_size(good) / 2);
        expectErrorMentioning([&] { loadModel(truncated); }, {"truncated.swm", "damaged"});
        const auto text = dir() / "notes.swm";
        std::ofstream(text) << "just some text";
        expectErrorMentioning([&] { loadModel(text); }, {"notes.swm", "not a model file"});
        const auto empty = dir() / "empty.swm";
        std::ofstream(empty).flush();
        expectErrorMentioning([&] { loadModel(empty); }, {"empty.swm", "empty"});
        expectErrorMentioning([&] { loadModel(dir() / "missing.swm"); }, {"missing.swm", "not found"});
    }
    void torchScriptFromPythonMatchesPythonOutputsAndGradients() {
        auto model = loadModel(fixtures() / "lenet.pt");
        QCOMPARE(model->description().arch, std::string("torchscript"));
        QCOMPARE(model->description().classes.size(), size_t(10));
        QCOMPARE(model->description().classes[9], std::string("Ankle boot"));
        const auto inputs = readNpy(fixtures() / "inputs.npy");
        const auto expectedLogits = readNpy(fixtures() / "logits.npy");
        const auto expectedGradients = readNpy(fixtures() / "input_gradients.npy");
        auto pixels = inputs.clone().requires_grad_(true);
        const auto logits = model->logits(pixels);
        QVERIFY(torch::allclose(logits, expectedLogits, 1e-5, 1e-5));
        logits.gather(1, logits.argmax(1, true)).sum().backward();
        QVERIFY2(pixels.grad().defined(), "no input gradient flowed through the TorchScript model");
        QVERIFY(torch::allclose(pixels.grad(), expectedGradients, 1e-5, 1e-6));
    }
    void torchScriptWithoutSidecarNeedsShape() {
        expectErrorMentioning([&] { loadModel(fixtures() / "traced_no_sidecar.pt"); },
                              {"traced_no_sidecar.pt", "input shape", "--input-shape"});
        TorchScriptMetadata metadata;
        metadata.inputShape = std::array<int64_t, 3>{1, 28, 28};
        auto model = loadModel(fixtures() / "traced_no_sidecar.pt", metadata);
        QCOMPARE(model->description().classes.size(), size_t(10));  // numbered from the logits' width
        QCOMPARE(model->description().classes[3], std::string("3"));
        metadata.classes = {"only", "two"};
        expectErrorMentioning([&] { loadModel(fixtures() / "traced_no_sidecar.pt", metadata); }, {"returns 10 logits", "2 class names"});
    }
    void torchScriptReturningATupleIsRefused() {
        expectErrorMentioning([&] { loadModel(fixtures() / "returns_tuple.pt"); }, {"returns_tuple.pt", "expected a logits tensor"});
    }
    void nativeLoaderRefusesTorchScript() {
        expectErrorMentioning([&] { loadNativeNetwork(fixtures() / "lenet.pt"); }, {"lenet.pt", "TorchScript"});
    }
};

QTEST_APPLESS_MAIN(TestModelFile)
#include "TestModelFile.moc"
