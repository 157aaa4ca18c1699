#include "jobs/SliceJob.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "data/BatchSampler.h"
#include "data/ImageFile.h"
#include "explain/SaliencyExplainer.h"
#include "metrics/InputSlice.h"
#include "io/HeatmapStyle.h"
#include "io/NpyFile.h"
#include "io/OverlayFiles.h"
#include "jobs/detail/SelectedInputs.h"
#include "metrics/LocalCurvature.h"
#include "metrics/ProtocolOptions.h"
#include "metrics/RelativeStability.h"
#include "models/Activation.h"
#include "models/ModelDescription.h"
#include "models/ModelFile.h"
#include "models/Predictions.h"
#include "train/AdversarialAttack.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/ListParsing.h"
#include "util/PrecisionScope.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

constexpr uint64_t kRandomDirectionStream = 1;
constexpr uint64_t kAttackStream = 2;
/// The PGD direction: the evaluation's attack (ε = the slice's radius, step ε/10), 10 steps.
constexpr int64_t kAttackSteps = 10;

/// `--direction` parsed: its kind and, for image:N, the sample it points toward.
struct Direction {
    std::string kind;
    int64_t towardIndex = -1;
};

Direction parseDirection(const std::string& text) {
    if (text == "random" || text == "gradient" || text == "pgd") return {text};
    const std::string prefix = "image:";
    if (text.rfind(prefix, 0) == 0) {
        const auto indices = parseIndexList(text.substr(prefix.size()));
        if (indices.size() == 1) return {"image", indices.front()};
    }
    throw InputError("--direction " + text, "expected " + sliceDirectionHelp());
}

void validateSliceRequest(const SliceRequest& request) {
    if (request.models.empty()) throw InputError("--models", "give at least one model");
    std::set<std::string> names;
    for (const auto& model : request.models) {
        const auto name = fs::path(model.path).stem().string();
        if (!names.insert(name).second) {
            throw InputError("--models", "two models are named " + name + "; the output files are named after the models, so rename one");
        }
    }
    parseDirection(request.direction);
    request.slice.validate();
    request.saliency.validate();
    if (request.index < 0) throw InputError("--index " + std::to_string(request.index), "must be 0 or more");
    if (request.writePng && request.outputDir.empty()) throw InputError("--png", "needs an output folder (--out)");
    if (request.writePng && !haveImageSupport()) {
        throw InputError("--png", "this build has no OpenCV, so it cannot write PNG overlays; leave out --png");
    }
}

/// The direction of the slice for one model through `pixels` (1×C×H×W): not yet normalised.
torch::Tensor directionFor(const Direction& direction, const SliceRequest& request, ImageClassifier& model, const std::string& modelPath,
                           SaliencyExplainer& explainer, const torch::Tensor& pixels, int64_t predicted) {
    const auto device = model.device();
    if (direction.kind == "random") {
        auto generator = makeGenerator(request.seed, kRandomDirectionStream);
        return torch::randn(pixels.sizes(), generator, torch::TensorOptions(pixels.scalar_type()));
    }
    const auto targets = torch::full({1}, predicted, torch::kInt64);
    if (direction.kind == "gradient") return explainer.inputGradients(pixels.to(device), targets.to(device), nullptr).cpu();
    if (direction.kind == "pgd") {
        AttackConfig attack;
        attack.kind = "pgd";
        attack.epsilon = request.slice.radius;
        attack.steps = kAttackSteps;
        auto generator = makeGenerator(request.seed, kAttackStream);
        model.setTrainingMode(false);
        const auto adversarial = adversarialExamples([&](const torch::Tensor& x) { return model.logits(x); }, pixels.to(device),
                                                     targets.to(device), attack, generator);
        return (adversarial.cpu() - pixels).detach();
    }
    const auto other = loadInputs(model, modelPath, request.datasetSpec, std::to_string(direction.towardIndex), {});
    return other.pixels - pixels;
}

ImageGeometry geometryAt(ImageClassifier& model, SaliencyExplainer& explainer, const torch::Tensor& pixels, int64_t predicted,
                         uint64_t seed) {
    const ProtocolOptions protocol;  // the evaluation's radius, surrogate and perturbations: one definition each
    const auto device = model.device();
    const auto x = pixels.to(device);
    const auto targets = torch::full({1}, predicted, torch::kInt64).to(device);
    ImageGeometry geometry;
    geometry.localCurvature = localCurvature([&](const torch::Tensor& at) { return explainer.inputGradients(at, targets, nullptr); }, x,
                                             protocol.curvatureRadius, 3, seed)
                                  .item<double>();
    if (model.hasNativeLayers()) {
        const SoftplusSurrogate surrogate(protocol.hessianBeta);
        const auto explainedLogit = [&](const torch::Tensor& at) { return model.logits(at).select(1, predicted); };
        geometry.hessianNorm = hessianSpectralNorm(explainedLogit, x, protocol.hessianIterations, seed).item<double>();
    }
    RelativeStabilityOptions stability;
    stability.samples = protocol.stabilitySamples;
    stability.noiseLow = protocol.stabilityNoiseLow;
    stability.noiseHigh = protocol.stabilityNoiseHigh;
    stability.epsMin = protocol.epsMin;
    stability.seed = seed;
    const ExplainedModel explained{[&](const torch::Tensor& at) { return model.logits(at); },
                                   [&](const torch::Tensor& at, const torch::Tensor& t) { return explainer.attribute(at, t); }};
    const auto scores = relativeStability(explained, x, targets, explainer.attribute(x, targets), stability);
    geometry.ris = scores.ris.item<double>();
    geometry.ros = scores.ros.item<double>();
    return geometry;
}

std::string csvNumber(double value) {
    if (!std::isfinite(value)) return "";  // read back as NaN by pandas and R
    std::ostringstream text;
    text.precision(9);
    text << value;
    return text.str();
}

std::vector<double> doubles(const torch::Tensor& values) {
    const auto contiguous = values.to(torch::kCPU, torch::kFloat64).contiguous();
    return {contiguous.data_ptr<double>(), contiguous.data_ptr<double>() + contiguous.numel()};
}

/// What the job computed for one model: the slice as tensors (for the files) and as the caller receives it.
struct ComputedSlice {
    torch::Tensor pixels;  ///< the image at t = 0 as the model saw it (1×C×H×W, CPU)
    InputSlice slice;
    ModelSlice delivered;
};

ModelSlice delivered(const std::string& model, const std::string& className, const InputSlice& slice, const ImageGeometry& geometry) {
    ModelSlice entry;
    entry.model = model;
    entry.explainedClass = slice.explainedClass;
    entry.explainedClassName = className;
    entry.steps = doubles(slice.steps);
    entry.explainedLogit = doubles(slice.explainedLogit);
    entry.probability = doubles(torch::softmax(slice.logits, 1).select(1, slice.explainedClass));
    entry.margin = doubles(slice.margin);
    entry.logitCurvature = doubles(slice.logitCurvature);
    entry.gradientNorm = doubles(slice.gradientNorm);
    entry.ssim = doubles(slice.ssim);
    entry.cosine = doubles(slice.cosine);
    const auto predictions = slice.predictions.contiguous();
    entry.predictions.assign(predictions.data_ptr<int64_t>(), predictions.data_ptr<int64_t>() + predictions.numel());
    entry.mapHeight = slice.maps.size(1);
    entry.mapWidth = slice.maps.size(2);
    const auto maps = slice.maps.contiguous();
    entry.maps.assign(maps.data_ptr<float>(), maps.data_ptr<float>() + maps.numel());
    entry.geometry = geometry;
    return entry;
}

nlohmann::json numberOrNull(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(); }

void writeSliceFiles(const fs::path& folder, const SliceRequest& request, const std::vector<ComputedSlice>& slices,
                     const SaliencyConfig& resolved) {
    std::ostringstream csv;
    csv << "model,t,prediction,explained_class,probability,explained_logit,margin,logit_curvature,gradient_norm,ssim,cosine\n";
    auto models = nlohmann::json::array();
    for (const auto& computed : slices) {
        const auto& slice = computed.slice;
        const auto& entry = computed.delivered;
        for (size_t i = 0; i < entry.steps.size(); ++i) {
            csv << csvField(entry.model) << ',' << csvNumber(entry.steps[i]) << ',' << entry.predictions[i] << ',' << entry.explainedClass
                << ',' << csvNumber(entry.probability[i]) << ',' << csvNumber(entry.explainedLogit[i]) << ',' << csvNumber(entry.margin[i])
                << ',' << csvNumber(entry.logitCurvature[i]) << ',' << csvNumber(entry.gradientNorm[i]) << ',' << csvNumber(entry.ssim[i])
                << ',' << csvNumber(entry.cosine[i]) << '\n';
        }
        writeNpy(folder / ("maps-" + entry.model + ".npy"), slice.maps);
        models.push_back({{"model", entry.model},
                          {"explained_class", entry.explainedClass},
                          {"explained_class_name", entry.explainedClassName},
                          {"local_curvature", numberOrNull(entry.geometry.localCurvature)},
                          {"hessian_norm", entry.geometry.hessianNorm ? numberOrNull(*entry.geometry.hessianNorm) : nlohmann::json()},
                          {"ris", numberOrNull(entry.geometry.ris)},
                          {"ros", numberOrNull(entry.geometry.ros)}});
        if (!request.writePng) continue;
        // Five points, the ends, the halves and t = 0, on one colour scale so the maps compare along the slice.
        const int64_t last = slice.steps.size(0) - 1;
        const std::vector<int64_t> shown = {0, last / 4, last / 2, last - last / 4, last};
        const auto indices = torch::tensor(shown, torch::kInt64);
        OverlayOptions overlays;
        overlays.style.colormap = defaultColormap(resolved.producesSignedMaps());
        overlays.sharedScale = true;
        fs::create_directories(folder / entry.model);
        // Over the image at t = 0: the line's points may leave [0, 1], and the map is what changes along it.
        writeOverlayPngs(folder / entry.model, request.outputDir + "/" + entry.model,
                         computed.pixels.expand({int64_t(shown.size()), -1, -1, -1}), slice.maps.index_select(0, indices), shown, overlays);
    }
    writeTextFileAtomically(folder / "slice.csv", csv.str());
    auto paths = nlohmann::json::array();
    for (const auto& model : request.models) paths.push_back(model.path);
    const nlohmann::json description = {
        {"models", paths},
        {"image", request.imageFile.empty() ? nlohmann::json(request.datasetSpec + " #" + std::to_string(request.index))
                                            : nlohmann::json(request.imageFile)},
        {"direction", request.direction},
        {"radius", request.slice.radius},
        {"points", request.slice.points},
        {"seed", request.seed},
        {"method", resolved.toJson()},
        {"precision", precisionName(request.precision)},
        {"program_version", programVersion()},
        {"geometry", models}};
    writeTextFileAtomically(folder / "geometry.json", description.dump(2) + "\n");
}

}  // namespace

std::string sliceDirectionHelp() { return "random, gradient, pgd or image:N (toward sample N of the dataset)"; }

JobResult runSliceJob(const SliceRequest& request, Feedback& feedback, const std::function<void(const ModelSlice&)>& onSlice) {
    return runGuarded([&]() -> JobResult {
        validateSliceRequest(request);
        const auto direction = parseDirection(request.direction);
        prepareCpuCompute(request.threads);
        const PrecisionScope precision(request.precision);
        const std::vector<std::string> imageFiles =
            request.imageFile.empty() ? std::vector<std::string>{} : std::vector<std::string>{request.imageFile};
        std::vector<ComputedSlice> slices;
        SaliencyConfig resolved = request.saliency;
        const double modelCount = double(request.models.size());
        for (size_t m = 0; m < request.models.size(); ++m) {
            const auto& path = request.models[m].path;
            auto model = loadModel(path, TorchScriptMetadata{request.models[m].inputShape, request.models[m].classNames});
            model->moveTo(resolveDevice(request.device));
            SaliencyExplainer explainer(*model, request.saliency);  // refuses a method the model cannot serve, first
            const auto inputs = loadInputs(*model, path, request.datasetSpec, std::to_string(request.index), imageFiles);
            const auto pixels = inputs.pixels.to(torch::kFloat32);
            if (m == 0) resolved = explainer.config();
            StageFeedback stage(&feedback, double(m) / modelCount, 1.0 / modelCount, fs::path(path).stem().string());
            const int64_t predicted = logitsInChunks(*model, pixels).argmax(1).item<int64_t>();
            const auto line = directionFor(direction, request, *model, path, explainer, pixels, predicted);
            ComputedSlice computed;
            computed.pixels = pixels;
            computed.slice = sliceAlongDirection(*model, explainer, pixels, line, request.slice, &stage);
            const auto geometry = geometryAt(*model, explainer, pixels, computed.slice.explainedClass, request.seed);
            computed.delivered =
                delivered(fs::path(path).stem().string(), classNameOf(*model, computed.slice.explainedClass), computed.slice, geometry);
            for (int64_t k = 0; k < computed.slice.logits.size(1); ++k) computed.delivered.classNames.push_back(classNameOf(*model, k));
            if (onSlice) onSlice(computed.delivered);
            slices.push_back(std::move(computed));
        }
        if (request.outputDir.empty()) return JobResult::completed("sliced " + std::to_string(slices.size()) + " models");
        writeFolderAtomically(request.outputDir, [&](const fs::path& folder) { writeSliceFiles(folder, request, slices, resolved); });
        return JobResult::completed("wrote the slices of " + std::to_string(slices.size()) + " models to " + request.outputDir);
    });
}

}  // namespace sw
