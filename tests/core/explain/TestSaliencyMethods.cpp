#include <algorithm>
#include <set>

#include "explain/SaliencyMethods.h"
#include "util/InputError.h"
#include "TestSupport.h"

using namespace sw;

namespace {

int sentenceCount(const std::string& text) {
    int count = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) count += text[i] == '.' && text[i + 1] == ' ';
    return count + (!text.empty() && text.back() == '.');
}

const SaliencyParameter& parameter(const std::string& key) {
    for (const auto& known : saliencyParameters()) {
        if (known.key == key) return known;
    }
    throw std::out_of_range(key);
}

}  // namespace

/// explain/SaliencyMethods and SaliencyConfig: the one method table, and the parameter table that names every
/// method parameter for the JSON files, the CLI and the help.
class TestSaliencyMethods : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyRowIsComplete() {
        std::set<std::string> ids;
        std::set<std::string> families;
        for (const auto& [family, name] : saliencyMethodFamilies()) families.insert(family);
        for (const auto& method : saliencyMethods()) {
            QVERIFY2(ids.insert(method.id).second, method.id.c_str());
            QVERIFY2(!method.name.empty() && !method.fullName.empty() && !method.reference.empty(), method.id.c_str());
            QVERIFY2(families.count(method.family), method.family.c_str());
            QVERIFY2(method.describe && method.attribute, method.id.c_str());
            // Help (F1) gives each method two sentences for a class.
            QVERIFY2(sentenceCount(method.explanation) == 2, method.explanation.c_str());
            for (const auto& key : method.parameters) QVERIFY2(parameter(key).key == key, key.c_str());
            SaliencyConfig defaults;
            defaults.method = method.id;
            defaults.validate();
            QVERIFY2(!describeSaliencyMethod(defaults).empty(), method.id.c_str());
        }
        QCOMPARE(saliencyMethods().size(), size_t(14));
        for (const auto* id : {"vg", "ig", "sg", "gxi", "vargrad", "gbp", "gradcam", "gradcampp", "hirescam", "layercam", "ggc",
                               "occlusion", "deeplift", "lrp"}) {
            QVERIFY2(ids.count(id), id);
        }
    }

    void anUnknownMethodListsTheKnownOnes() {
        QCOMPARE(saliencyMethodIdList().substr(0, 12), std::string("vg, ig, sg, "));
        QVERIFY(saliencyMethodIdList().find(" or lrp") != std::string::npos);
        sw::test::expectErrorMentioning([] { saliencyMethod("lime"); }, {"--method lime", "gradcam", "occlusion", "lrp"});
    }

    void descriptionsSayWhatWasComputed() {
        SaliencyConfig config;
        config.method = "ig";
        QCOMPARE(describeSaliencyMethod(config), std::string("Integrated Gradients: 50 Gauss–Legendre steps from a black baseline"));
        config.igSteps = 16;
        QVERIFY(describeSaliencyMethod(config).find("16 Gauss") != std::string::npos);
        config.method = "sg";
        config.sgSamples = 10;
        config.sgSigma = 0.3;
        QCOMPARE(describeSaliencyMethod(config),
                 std::string("SmoothGrad: mean of 10 noisy absolute gradients, noise N(0, 0.3²) in pixel units"));
        QCOMPARE(config.displayName(), std::string("SmoothGrad"));
        config.method = "gradcam";
        config.camLayer = "relu2";
        QCOMPARE(describeSaliencyMethod(config), std::string("Grad-CAM at relu2, upsampled bilinear"));
        config.method = "occlusion";
        QCOMPARE(describeSaliencyMethod(config), std::string("Occlusion: 5×5 patches of value 0, stride 3"));
        config.method = "lrp";
        config.lrpRule = "gamma";
        QVERIFY(describeSaliencyMethod(config).find("γ = 0.25") != std::string::npos);
    }

    void theJsonRecordsExactlyWhatTheMethodUses() {
        for (const auto& method : saliencyMethods()) {
            SaliencyConfig config;
            config.method = method.id;
            const auto json = config.toJson();
            std::set<std::string> expected = {"method", "target", "heatmap_reduction"};
            for (const auto& key : method.parameters) {
                if (!parameter(key).applies || parameter(key).applies(config)) expected.insert(key);
            }
            std::set<std::string> recorded;
            for (const auto& item : json.items()) recorded.insert(item.key());
            QVERIFY2(recorded == expected, (method.id + ": " + json.dump()).c_str());
        }
        // VarGrad says whether it took the variance of |g| (Captum's default) or of g.
        SaliencyConfig vargrad;
        vargrad.method = "vargrad";
        vargrad.absolute = false;
        QCOMPARE(vargrad.toJson().at("absolute").get<bool>(), false);
        // A CAM records how it was upsampled, resolved to the reference's choice.
        SaliencyConfig cam;
        cam.method = "gradcam";
        QCOMPARE(cam.toJson().at("cam_upsampling").get<std::string>(), std::string("bilinear"));
        cam.method = "ggc";
        QCOMPARE(cam.toJson().at("cam_upsampling").get<std::string>(), std::string("nearest"));
        // IG's seed and blur σ appear only with the baselines that use them.
        SaliencyConfig ig;
        ig.method = "ig";
        QVERIFY(!ig.toJson().contains("seed") && !ig.toJson().contains("baseline_blur_sigma"));
        ig.baseline = "uniform";
        QVERIFY(ig.toJson().contains("seed"));
        ig.baseline = "blur";
        QVERIFY(ig.toJson().contains("baseline_blur_sigma"));
        SaliencyConfig lrp;
        lrp.method = "lrp";
        QVERIFY(!lrp.toJson().contains("lrp_epsilon") && !lrp.toJson().contains("lrp_gamma"));
        lrp.lrpRule = "epsilon";
        QVERIFY(lrp.toJson().contains("lrp_epsilon"));
    }

    void theJsonRoundTripsEveryParameter() {
        SaliencyConfig changed;
        changed.absolute = false;
        changed.igSteps = 7;
        changed.igRule = "riemann_left";
        changed.baseline = "blur";
        changed.baselineBlurSigma = 2.5;
        changed.sgSamples = 9;
        changed.sgSigma = 0.2;
        changed.seed = 11;
        changed.camLayer = "conv2";
        changed.camUpsampling = "nearest";
        changed.occlusionWindow = 7;
        changed.occlusionStride = 2;
        changed.occlusionBaseline = 0.5;
        changed.lrpRule = "epsilon";
        changed.lrpEpsilon = 0.1;
        changed.lrpGamma = 0.5;
        for (const auto& method : saliencyMethods()) {
            changed.method = method.id;
            const auto back = SaliencyConfig::fromJson(changed.toJson());
            QCOMPARE(back.toJson(), changed.toJson());
        }
    }

    void badParametersNameTheirOption() {
        SaliencyConfig config;
        config.method = "lrp";
        config.lrpRule = "z";
        sw::test::expectErrorMentioning([&] { config.validate(); }, {"--lrp-rule z", "epsilon-plus-flat", "alpha2-beta1"});
        config = SaliencyConfig();
        config.igSteps = 0;
        sw::test::expectErrorMentioning([&] { config.validate(); }, {"--ig-steps 0", "at least 1"});
        config = SaliencyConfig();
        config.method = "occlusion";
        config.occlusionStride = 9;
        sw::test::expectErrorMentioning([&] { config.validate(); }, {"--occlusion-stride 9", "window (5)"});
        config = SaliencyConfig();
        config.camUpsampling = "bicubic";
        sw::test::expectErrorMentioning([&] { config.validate(); }, {"--cam-upsampling bicubic", "bilinear, nearest"});
    }

    void theSignComesFromTheTable() {
        SaliencyConfig config;
        for (const auto& [method, absolute, expected] : std::vector<std::tuple<std::string, bool, bool>>{{"vg", true, false},
                                                                                                         {"vg", false, true},
                                                                                                         {"ig", true, true},
                                                                                                         {"vargrad", false, false},
                                                                                                         {"gradcam", false, false},
                                                                                                         {"ggc", true, true},
                                                                                                         {"occlusion", true, true},
                                                                                                         {"lrp", true, true}}) {
            config.method = method;
            config.absolute = absolute;
            QVERIFY2(config.producesSignedMaps() == expected, method.c_str());
        }
        config.method = "ig";
        config.heatmapReduction = "max";
        QVERIFY(!config.producesSignedMaps());
    }

    void needsAreSaidInWords() {
        QCOMPARE(describeModelNeeds(saliencyMethod("vg").needs), std::string("any model"));
        QVERIFY(describeModelNeeds(saliencyMethod("ggc").needs).find("feature layer and ReLUs") != std::string::npos);
        QVERIFY(describeModelNeeds(saliencyMethod("lrp").needs).find("built by this program") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSaliencyMethods)
#include "TestSaliencyMethods.moc"
