// Every method of the method table against its reference library: pytorch-grad-cam 1.5.7, Captum 0.9 and
// Zennit 0.5.1, run by tests/fixtures/make_method_fixtures.py on the same models and pixels (CTest's fixture
// step). The models: LeNet without and with the smoothing block (the demo files), a ResNet-18 built in Python
// (weights under our checkpoint keys) and a TorchScript CNN made in PyTorch.
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "explain/SaliencyExplainer.h"
#include "explain/SaliencyMethods.h"
#include "io/NpyFile.h"
#include "models/ModelFile.h"
#include "models/NativeClassifier.h"
#include "util/InputError.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace sw;

namespace {

fs::path fixtures() { return fs::path(SW_TEST_FIXTURES_DIR) / "methods"; }

/// A fixture model: a native file, a Python-built native model (model_description.json + model_state/*.npy)
/// or the TorchScript CNN.
std::unique_ptr<ImageClassifier> loadFixtureModel(const std::string& name) {
    const auto folder = fixtures() / name;
    std::ifstream methods(folder / "methods.json");
    const auto record = nlohmann::json::parse(methods);
    const auto spec = record.at("model").at("spec").get<std::string>();
    if (fs::exists(folder / "model_description.json")) {
        std::ifstream file(folder / "model_description.json");
        Classifier network(ModelDescription::fromJson(nlohmann::json::parse(file), name));
        torch::NoGradGuard noGrad;
        for (auto& item : network->named_parameters()) item.value().copy_(readNpy(folder / "model_state" / (item.key() + ".npy")));
        for (auto& item : network->named_buffers()) {
            item.value().copy_(readNpy(folder / "model_state" / (item.key() + ".npy")).to(item.value().dtype()));
        }
        network->eval();
        return std::make_unique<NativeClassifier>(network);
    }
    return loadModel(spec);  // the generator was given absolute paths (tests/CMakeLists.txt)
}

/// max |ours − reference| / max |reference|: one number a bound can be stated for, whatever a map's scale.
double relativeDeviation(const torch::Tensor& ours, const torch::Tensor& reference) {
    const auto scale = reference.abs().max().item<double>();
    return (ours.to(torch::kFloat64) - reference.to(torch::kFloat64)).abs().max().item<double>() / std::max(scale, 1e-30);
}

}  // namespace

class TestMethodReferences : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void equalsTheReference_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("lrpRule");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<double>("bound");
        // 1e-4 relative (the bound): float32 maps whose summation order differs from the reference's. The
        // CAMs are min-max scaled to [0, 1], so the bound is also absolute for them.
        const double bound = 1e-4;
        const struct {
            const char* method;
            const char* lrpRule;
            const char* fixture;
        } cases[] = {
            {"gradcam", "", "gradcam"},
            {"gradcampp", "", "gradcam_plusplus"},
            {"hirescam", "", "hirescam"},
            {"layercam", "", "layercam"},
            {"gbp", "", "guided_backprop"},
            {"ggc", "", "guided_gradcam"},
            {"occlusion", "", "occlusion"},
            {"deeplift", "", "deeplift"},
            {"lrp", "epsilon-plus-flat", "lrp_epsilon_plus_flat"},
            {"lrp", "epsilon", "lrp_epsilon"},
            {"lrp", "gamma", "lrp_gamma"},
            {"lrp", "zplus", "lrp_zplus"},
            {"lrp", "alpha2-beta1", "lrp_alpha2_beta1"},
            {"lrp", "epsilon-alpha2-beta1", "lrp_epsilon_alpha2_beta1"},
        };
        for (const char* model : {"natural", "adv_gaussian", "resnet18", "tinycnn"}) {
            for (const auto& entry : cases) {
                if (QString(model) == "tinycnn" && QString(entry.method) == "lrp") continue;  // refused: refusesLrpOnTorchScript
                QTest::addRow("%s/%s%s%s", model, entry.method, *entry.lrpRule ? "/" : "", entry.lrpRule)
                    << model << entry.method << entry.lrpRule << entry.fixture << bound;
            }
        }
    }

    void equalsTheReference() {
        QFETCH(QString, model);
        QFETCH(QString, method);
        QFETCH(QString, lrpRule);
        QFETCH(QString, fixture);
        QFETCH(double, bound);
        auto classifier = loadFixtureModel(model.toStdString());
        const auto folder = fixtures() / model.toStdString();
        const auto pixels = readNpy(folder / "pixels.npy");
        const auto targets = readNpy(folder / "targets.npy");
        const auto reference = readNpy(folder / (fixture.toStdString() + ".npy"));

        SaliencyConfig config;
        config.method = method.toStdString();
        if (!lrpRule.isEmpty()) config.lrpRule = lrpRule.toStdString();
        // The generator's occlusion window: 5, stride 3 up to 28 pixels high (our defaults), 16 and 12 above.
        if (pixels.size(2) > 28) {
            config.occlusionWindow = 16;
            config.occlusionStride = 12;
        }
        SaliencyExplainer explainer(*classifier, config);
        auto ours = explainer.attribute(pixels, targets);
        if (reference.dim() == 3) ours = ours.squeeze(1);  // pytorch-grad-cam returns N×H×W
        QCOMPARE(ours.sizes().vec(), reference.sizes().vec());
        const double deviation = relativeDeviation(ours, reference);
        std::printf("check %s %s: max|ours - reference| / max|reference| = %.2e, bound %.0e (float32 summation order)\n",
                    model.toUtf8().constData(), fixture.toUtf8().constData(), deviation, bound);
        QVERIFY2(deviation <= bound, qPrintable(QString("%1 deviates by %2").arg(fixture).arg(deviation)));
    }

    void theCamLayerIsTheReferences() {
        for (const char* model : {"natural", "adv_gaussian", "resnet18", "tinycnn"}) {
            std::ifstream methods(fixtures() / model / "methods.json");
            const auto record = nlohmann::json::parse(methods);
            QCOMPARE(loadFixtureModel(model)->defaultFeatureLayer(), record.at("target_layer").get<std::string>());
        }
    }

    void refusesLrpOnTorchScript() {
        auto model = loadFixtureModel("tinycnn");
        SaliencyConfig config;
        config.method = "lrp";
        // Refused before any work, naming the method and why.
        sw::test::expectErrorMentioning([&] { SaliencyExplainer(*model, config); }, {"--method lrp", "TorchScript", "compiled"});
        QVERIFY(unmetModelNeeds(*model, "gradcam").empty() && unmetModelNeeds(*model, "gbp").empty());
    }
};

int main(int argc, char** argv) {
    // Without the reference libraries (a Debian build) the fixture step leaves the reason instead of fixtures.
    if (std::ifstream unavailable(fixtures() / "unavailable.txt"); unavailable) {
        std::string reason;
        std::getline(unavailable, reason);
        std::printf("skipped: %s\n", reason.c_str());
        return 77;
    }
    QCoreApplication application(argc, argv);
    TestMethodReferences test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestMethodReferences.moc"
