#include "study/StimuliJob.h"
#include "study/StimuliPreview.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <sstream>

#include "data/DatasetLoader.h"
#include "data/ImageConversion.h"
#include "explain/SaliencyExplainer.h"
#include "explain/SaliencyMethods.h"
#include "io/HeatmapImage.h"
#include "io/ReportDocument.h"
#include "models/ModelDescription.h"
#include "models/ModelFile.h"
#include "models/Predictions.h"
#include "study/TrialOrder.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/ListParsing.h"
#include "util/PrecisionScope.h"
#include "util/Sha256.h"

namespace sw {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// One model × method, with the blind code participants' files carry.
struct Condition {
    size_t model = 0;
    SaliencyConfig method;
    std::string code;  ///< "c1", "c2", … in an order drawn from the seed, so codes say nothing of the condition
};

void validateStimuliRequest(const StimuliRequest& request) {
    if (request.outputDir.empty()) throw InputError("--out", "an output folder is required");
    if (fs::exists(fs::path(request.outputDir) / kResponseDatabaseFile)) {
        throw InputError("--out " + request.outputDir,
                         std::string("already holds a study with responses (") + kResponseDatabaseFile +
                             "); choose a new folder, so the responses stay with the stimuli they were given for");
    }
    if (request.modelPaths.empty()) throw InputError("--models", "a study needs at least one model");
    if (request.methods.empty()) throw InputError("--methods", "a study needs at least one method");
    for (const auto& method : request.methods) saliencyMethod(method);
    if (request.layout != "overlay" && request.layout != "side-by-side") {
        throw InputError("--layout " + request.layout, "expected overlay or side-by-side");
    }
    if (request.pixelSize < 1 || request.pixelSize > 64)
        throw InputError("--pixel-size " + std::to_string(request.pixelSize), "expected 1 to 64");
    if (!request.colormap.empty() && !isKnownColormap(request.colormap)) {
        throw InputError("--colormap " + request.colormap, "expected one of " + joinCommaList(knownColormaps()));
    }
    if (!(request.opacity >= 0.0 && request.opacity <= 1.0)) throw InputError("--opacity", "expected a value in [0, 1]");
    if (!(request.clipPercentile > 0.0 && request.clipPercentile <= 100.0)) throw InputError("--clip-percentile", "expected (0, 100]");
    if (!(request.topKPercent > 0.0 && request.topKPercent <= 100.0)) throw InputError("--top-k", "expected a percentage in (0, 100]");
    if (request.indices.empty() && request.imageCount < 1) throw InputError("--images", "expected at least one image");
    if (!request.indices.empty()) parseIndexList(request.indices, "--indices");
    if (request.participants < 1) throw InputError("--participants", "expected at least one participant");
    if (request.attentionEvery < 0) throw InputError("--attention-every", "expected 0 (none) or more");
}

/// The images of the study: the given indices, or a draw from the seed (spread over the classes when
/// stratified) among the images every model classifies correctly when asked.
std::vector<int64_t> chooseImages(const StimuliRequest& request, const Dataset& data, const std::vector<torch::Tensor>& predictions) {
    if (!request.indices.empty()) {
        auto chosen = parseIndexList(request.indices, "--indices");
        for (const auto index : chosen) {
            if (index >= data.size()) {
                throw InputError("--indices " + request.indices,
                                 "index " + std::to_string(index) + " is beyond the last sample of " + data.spec);
            }
        }
        return chosen;
    }
    const auto labels = data.labels.contiguous();
    const size_t classCount = std::max(data.classNames.size(), size_t(labels.max().item<int64_t>() + 1));
    std::vector<std::vector<int>> byClass(request.stratified ? classCount : 1);
    for (int64_t i = 0; i < data.size(); ++i) {
        bool correct = true;
        for (const auto& predicted : predictions) correct = correct && predicted[i].item<int64_t>() == labels[i].item<int64_t>();
        if (request.onlyCorrect && !correct) continue;
        const size_t group = request.stratified ? size_t(labels[i].item<int64_t>()) : 0;
        byClass[group].push_back(int(i));
    }
    uint64_t state = request.seed;
    for (auto& group : byClass) portableShuffle(group, state);
    // Round-robin over the classes: the first image of each class, then the second, …
    std::vector<int64_t> chosen;
    for (size_t rank = 0; int(chosen.size()) < request.imageCount; ++rank) {
        bool any = false;
        for (const auto& group : byClass) {
            if (rank >= group.size() || int(chosen.size()) >= request.imageCount) continue;
            chosen.push_back(group[rank]);
            any = true;
        }
        if (!any) break;
    }
    if (int(chosen.size()) < request.imageCount) {
        throw InputError(data.spec, "only " + std::to_string(chosen.size()) + " images qualify" +
                                        (request.onlyCorrect ? " (classified correctly by every model)" : "") + ", " +
                                        std::to_string(request.imageCount) + " were asked for");
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

/// A strip of text under an image (the caption, or the attention check's instruction), drawn with OpenCV's
/// Hershey font so that the same text gives the same pixels everywhere.
/// The font scale at which `text` fills at most `width` pixels and `height` pixels of line height.
double fittingFontScale(const std::string& text, int width, int height) {
    int baseline = 0;
    const auto atUnitScale = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, 1.0, 1, &baseline);
    return std::min(height / 40.0, 0.92 * width / std::max(1, atUnitScale.width));
}

void putCentredText(cv::Mat& image, const std::string& text, int centreY, double scale) {
    int baseline = 0;
    const auto size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline);
    cv::putText(image, text, {std::max(2, (image.cols - size.width) / 2), centreY + size.height / 2}, cv::FONT_HERSHEY_SIMPLEX, scale,
                cv::Scalar(0, 0, 0), 1, cv::LINE_8);
}

cv::Mat withCaption(const cv::Mat& image, const std::string& text) {
    const int height = std::max(24, image.cols / 10);
    cv::Mat strip(height, image.cols, CV_8UC3, cv::Scalar(255, 255, 255));
    putCentredText(strip, text, height / 2, fittingFontScale(text, image.cols, height));
    cv::Mat stacked;
    cv::vconcat(image, strip, stacked);
    return stacked;
}

/// The attention check's picture: the request in large type, as big as the stimuli, so it is read as a trial.
cv::Mat attentionPicture(int width, int height) {
    cv::Mat picture(height, width, CV_8UC3, cv::Scalar(230, 230, 230));
    const std::vector<std::string> lines = {"Attention check:", "please answer " + std::to_string(kAttentionCheckAnswer)};
    double scale = 10.0;
    for (const auto& line : lines) scale = std::min(scale, fittingFontScale(line, width, height / 3));
    putCentredText(picture, lines[0], height * 2 / 5, scale);
    putCentredText(picture, lines[1], height * 3 / 5, scale);
    return picture;
}

void writePng(const fs::path& path, const cv::Mat& image) {
    std::vector<uchar> bytes;
    // Fixed compression settings: the same pixels give the same bytes.
    if (!cv::imencode(".png", image, bytes, {cv::IMWRITE_PNG_COMPRESSION, 9, cv::IMWRITE_PNG_STRATEGY, cv::IMWRITE_PNG_STRATEGY_DEFAULT})) {
        throw InputError(path.string(), "cannot encode PNG");
    }
    writeTextFileAtomically(path, std::string(bytes.begin(), bytes.end()));
}

/// The method's settings as the manifest and the key record them, with the arithmetic they were computed in.
json methodParameters(const SaliencyConfig& config) {
    auto parameters = config.toJson();
    parameters["precision"] = precisionName(PrecisionScope::current());
    return parameters;
}

/// The models, the chosen images and every condition's maps and predictions: what the stimuli are drawn from.
struct ExplainedConditions {
    std::vector<std::unique_ptr<ImageClassifier>> models;
    std::vector<std::string> modelHashes;
    std::vector<Condition> conditions;
    std::vector<int64_t> images;  ///< dataset indices
    torch::Tensor pixels, labels;
    std::vector<std::string> classNames;
    std::vector<torch::Tensor> heatmaps;               ///< per condition, N×H×W
    std::vector<std::vector<Prediction>> predictions;  ///< per condition, per image
};

/// Conditions in model-major order; their codes are a seeded permutation of c1…cN, so codes say nothing of
/// the condition.
std::vector<Condition> blindConditions(const StimuliRequest& request, size_t modelCount) {
    std::vector<Condition> conditions;
    for (size_t m = 0; m < modelCount; ++m) {
        for (const auto& method : request.methods) {
            SaliencyConfig config;
            config.method = method;
            config.seed = request.seed;
            conditions.push_back(Condition{m, config, {}});
        }
    }
    std::vector<int> codes(conditions.size());
    std::iota(codes.begin(), codes.end(), 1);
    uint64_t codeState = request.seed ^ 0xC0DEull;
    portableShuffle(codes, codeState);
    for (size_t c = 0; c < conditions.size(); ++c) conditions[c].code = "c" + std::to_string(codes[c]);
    return conditions;
}

ExplainedConditions explainConditions(const StimuliRequest& request, Feedback& feedback) {
    ExplainedConditions set;
    const auto device = resolveDevice(request.device);
    for (const auto& path : request.modelPaths) {
        set.models.push_back(loadModel(path));
        set.models.back()->moveTo(device);
        set.modelHashes.push_back(sha256OfFile(path));
    }
    const auto shape = set.models.front()->description().inputShape;
    for (size_t m = 1; m < set.models.size(); ++m) {
        if (set.models[m]->description().inputShape != shape) {
            throw InputError(request.modelPaths[m], "takes " + set.models[m]->description().inputShapeText() + " images, the first model " +
                                                        set.models.front()->description().inputShapeText());
        }
    }
    DatasetLoadOptions load;
    load.imageShape = shape;
    const auto data = loadDataset(DatasetSpec::parse(request.datasetSpec), load);
    for (size_t m = 0; m < set.models.size(); ++m) set.models[m]->checkCompatible(data, request.modelPaths[m]);
    throwIfCancelled(&feedback);

    std::vector<torch::Tensor> allPredictions;
    if (request.indices.empty() && request.onlyCorrect) {
        for (auto& model : set.models) allPredictions.push_back(predictedClasses(*model, data));
    }
    set.images = chooseImages(request, data, allPredictions);
    const auto selection = torch::tensor(set.images, torch::kInt64);
    set.pixels = data.floatImages(selection);
    set.labels = data.labels.index_select(0, selection);
    set.classNames = data.classNames.empty() ? set.models.front()->description().classes : data.classNames;
    set.conditions = blindConditions(request, set.models.size());
    for (size_t c = 0; c < set.conditions.size(); ++c) {
        throwIfCancelled(&feedback);
        feedback.setProgress(double(c) / double(set.conditions.size()),
                             "explaining condition " + std::to_string(c + 1) + " of " + std::to_string(set.conditions.size()));
        auto& model = *set.models[set.conditions[c].model];
        set.predictions.push_back(predict(model, set.pixels));
        const auto input = set.pixels.to(model.device());
        SaliencyExplainer explainer(model, set.conditions[c].method);
        set.conditions[c].method = explainer.config();  // with the model's defaults resolved, as the key records them
        StageFeedback stage(&feedback, double(c) / double(set.conditions.size()), 1.0 / double(set.conditions.size()),
                            "condition " + std::to_string(c + 1) + " of " + std::to_string(set.conditions.size()));
        const auto attributions = explainer.attribute(input, explainer.resolveTargets(input, set.labels.to(model.device())), &stage);
        set.heatmaps.push_back(heatmapOf(attributions, set.conditions[c].method.heatmapReduction).cpu());
    }
    return set;
}

/// One row of the manifest, written to manifest.json and manifest.csv from the same values.
struct ManifestRow {
    std::string file;
    std::string sha256;
    std::optional<size_t> image;  ///< none for the attention check
    int64_t imageIndex = -1;
    int64_t label = -1;
    std::string labelName;
    std::string condition;  ///< blind code, or "attention"
    int64_t prediction = -1;
    std::string predictionName;
    std::string confidence;  ///< fixed decimals, so the same run gives the same bytes
    std::string modelSha256;
    std::string method;
    json methodParameters;
    json rendering;
    uint64_t seed = 0;

    static constexpr const char* kCsvHeader =
        "file,sha256,image,image_index,label,label_name,condition,prediction,prediction_name,confidence,model_sha256,method,"
        "method_parameters,rendering,seed,program_version";

    json toJson() const {
        if (!image) return {{"file", file}, {"sha256", sha256}, {"attention_check", true}, {"answer", kAttentionCheckAnswer}};
        return {{"file", file},
                {"sha256", sha256},
                {"image", *image},
                {"image_index", imageIndex},
                {"label", label},
                {"label_name", labelName},
                {"condition", condition},
                {"prediction", prediction},
                {"prediction_name", predictionName},
                {"confidence", confidence},
                {"model_sha256", modelSha256},
                {"method", method},
                {"method_parameters", methodParameters},
                {"rendering", rendering},
                {"seed", seed},
                {"program_version", programVersion()}};
    }
    std::string toCsvLine() const {
        std::ostringstream line;
        line << file << ',' << sha256 << ',';
        if (image) {
            line << *image << ',' << imageIndex << ',' << label << ',' << csvField(labelName) << ',' << condition << ',' << prediction
                 << ',' << csvField(predictionName) << ',' << confidence << ',' << modelSha256 << ',' << method << ','
                 << csvField(methodParameters.dump()) << ',' << csvField(rendering.dump()) << ',';
        } else {
            line << ",,,,attention,,,,,,,,";
        }
        line << seed << ',' << programVersion() << '\n';
        return line.str();
    }
};

json renderingSettings(const StimuliRequest& request) {
    return {{"layout", request.layout},
            {"pixel_size", request.pixelSize},
            {"colormap", request.colormap.empty() ? "default" : request.colormap},
            {"opacity", request.opacity},
            {"scale", request.sharedScale ? "shared per image and method" : "per map"},
            {"clip_percentile", request.clipPercentile},
            {"top_k_percent", request.topKPercent},
            {"caption", request.caption}};
}

/// One condition's picture of one image, as the request lays it out.
cv::Mat stimulusPicture(const StimuliRequest& request, const ExplainedConditions& set, size_t image, size_t condition, int minimumSide) {
    const auto& method = set.conditions[condition].method;
    HeatmapStyle style;
    style.colormap = request.colormap.empty() ? defaultColormap(method.producesSignedMaps()) : request.colormap;
    style.opacity = request.layout == "overlay" ? request.opacity : 1.0;
    style.clipPercentile = request.clipPercentile;
    style.topKPercent = request.topKPercent;
    if (request.sharedScale) {
        // One scale for the image's conditions that share a method (methods differ in units).
        double scale = 0.0;
        for (size_t other = 0; other < set.conditions.size(); ++other) {
            if (set.conditions[other].method.method == method.method)
                scale = std::max(scale, heatmapScale(set.heatmaps[other][int64_t(image)], request.clipPercentile));
        }
        style.scaleMax = scale > 0 ? scale : 1.0;
    }
    const auto& pixels = set.pixels[int64_t(image)];
    const auto& heatmap = set.heatmaps[condition][int64_t(image)];
    cv::Mat picture = renderOverlay(pixels, heatmap, style, minimumSide);
    if (request.layout == "side-by-side") {
        HeatmapStyle plain = style;
        plain.opacity = 0.0;  // the image alone, in the same grey
        cv::Mat original = renderOverlay(pixels, heatmap, plain, minimumSide);
        cv::Mat gap(picture.rows, request.pixelSize * 2, CV_8UC3, cv::Scalar(255, 255, 255));
        cv::hconcat(std::vector<cv::Mat>{original, gap, picture}, picture);
    }
    if (request.caption) picture = withCaption(picture, "predicted: " + set.predictions[condition][image].className);
    return picture;
}

/// The bundle's stimuli (and the attention picture): writes the PNGs under `bundle` and returns the manifest,
/// with the file of each (image, condition).
std::vector<ManifestRow> writeStimuli(const StimuliRequest& request, const ExplainedConditions& set, const fs::path& bundle,
                                      std::map<std::pair<size_t, size_t>, std::string>& fileOf, std::string& attentionFile) {
    const int minimumSide = request.pixelSize * int(std::min(set.pixels.size(2), set.pixels.size(3)));
    fs::create_directories(bundle / studyLayout::kStimuliFolder);
    const auto rendering = renderingSettings(request);
    const auto className = [&](int64_t index) {
        return index >= 0 && size_t(index) < set.classNames.size() ? set.classNames[size_t(index)] : std::to_string(index);
    };
    std::vector<ManifestRow> manifest;
    for (size_t i = 0; i < set.images.size(); ++i) {
        for (size_t c = 0; c < set.conditions.size(); ++c) {
            const auto& condition = set.conditions[c];
            std::ostringstream name;
            name << studyLayout::kStimuliFolder << "/img" << std::setw(2) << std::setfill('0') << i << "_" << condition.code << ".png";
            writePng(bundle / name.str(), stimulusPicture(request, set, i, c, minimumSide));
            fileOf[{i, c}] = name.str();
            const auto& predicted = set.predictions[c][i];
            ManifestRow row;
            row.file = name.str();
            row.sha256 = sha256OfFile(bundle / row.file);
            row.image = i;
            row.imageIndex = set.images[i];
            row.label = set.labels[int64_t(i)].item<int64_t>();
            row.labelName = className(row.label);
            row.condition = condition.code;
            row.prediction = predicted.index;
            row.predictionName = className(predicted.index);
            row.confidence = fixedDecimals(predicted.confidence, 6);
            row.modelSha256 = set.modelHashes[condition.model];
            row.method = condition.method.method;
            row.methodParameters = methodParameters(condition.method);
            row.rendering = rendering;
            row.seed = request.seed;
            manifest.push_back(row);
        }
    }
    if (request.attentionEvery > 0) {
        const int width = request.layout == "side-by-side" ? 2 * minimumSide + 2 * request.pixelSize : minimumSide;
        attentionFile = std::string(studyLayout::kStimuliFolder) + "/attention.png";
        cv::Mat picture = attentionPicture(width, minimumSide);
        if (request.caption) picture = withCaption(picture, " ");  // the same size as the captioned stimuli
        writePng(bundle / attentionFile, picture);
        ManifestRow row;
        row.file = attentionFile;
        row.sha256 = sha256OfFile(bundle / attentionFile);
        row.seed = request.seed;
        manifest.push_back(row);
    }
    return manifest;
}

/// The experimenter's private files: the manifest (JSON and CSV, the same rows) and the key.
void writePrivateFiles(const StimuliRequest& request, const ExplainedConditions& set, const std::vector<ManifestRow>& manifest,
                       const fs::path& folder) {
    fs::create_directories(folder);
    json manifestJson = json::array();
    std::string csv = std::string(ManifestRow::kCsvHeader) + "\n";
    for (const auto& row : manifest) {
        manifestJson.push_back(row.toJson());
        csv += row.toCsvLine();
    }
    writeTextFileAtomically(folder / studyLayout::kManifestFile, manifestJson.dump(2) + "\n");
    writeTextFileAtomically(folder / studyLayout::kManifestCsvFile, csv);
    json key = json::object();
    for (const auto& condition : set.conditions) {
        key[condition.code] = {{"model", fs::path(request.modelPaths[condition.model]).filename().string()},
                               {"model_sha256", set.modelHashes[condition.model]},
                               {"badge", set.models[condition.model]->description().badge()},
                               {"method", condition.method.method},
                               {"method_parameters", methodParameters(condition.method)}};
    }
    writeTextFileAtomically(folder / studyLayout::kKeyFile, key.dump(2) + "\n");
}

/// orders.csv: every participant's trials, by blind file and code.
std::string trialOrdersCsv(const StimuliRequest& request, const ExplainedConditions& set,
                           const std::map<std::pair<size_t, size_t>, std::string>& fileOf, const std::string& attentionFile) {
    std::ostringstream orders;
    orders << "participant,trial,file,image,condition,attention_check\n";
    TrialOrderOptions options;
    options.images = int(set.images.size());
    options.conditions = int(set.conditions.size());
    options.seed = request.seed;
    options.attentionEvery = request.attentionEvery;
    for (int participant = 0; participant < request.participants; ++participant) {
        const auto trials = participantTrials(options, participant);
        for (size_t t = 0; t < trials.size(); ++t) {
            const auto& trial = trials[t];
            orders << participant << ',' << t << ',';
            if (trial.attentionCheck)
                orders << attentionFile << ",,,1\n";  // the attention_check column
            else
                orders << fileOf.at({size_t(trial.image), size_t(trial.condition)}) << ',' << trial.image << ','
                       << set.conditions[size_t(trial.condition)].code << ",0\n";
        }
    }
    return orders.str();
}

}  // namespace

StimuliPreview previewStimuli(const StimuliRequest& request, int images, Feedback& feedback) {
    auto sample = request;
    sample.outputDir = sample.outputDir.empty() ? "(preview)" : sample.outputDir;
    sample.imageCount = std::max(1, std::min(request.imageCount, images));
    if (!sample.indices.empty()) {
        const auto chosen = parseIndexList(sample.indices, "--indices");
        sample.indices.clear();
        for (size_t i = 0; i < chosen.size() && int(i) < sample.imageCount; ++i)
            sample.indices += (i ? "," : "") + std::to_string(chosen[i]);
    }
    validateStimuliRequest(sample);
    prepareCpuCompute(request.threads);
    const PrecisionScope precision(request.precision);
    const auto set = explainConditions(sample, feedback);
    const int minimumSide = request.pixelSize * int(std::min(set.pixels.size(2), set.pixels.size(3)));
    StimuliPreview preview;
    for (size_t c = 0; c < set.conditions.size(); ++c) {
        const auto& condition = set.conditions[c];
        preview.conditions.push_back(fs::path(request.modelPaths[condition.model]).stem().string() + " · " +
                                     saliencyMethod(condition.method.method).name);
        preview.pictures.push_back(stimulusPicture(request, set, 0, c, minimumSide));
        // The scale this condition's map is shown at: its own, or the largest among the image's conditions
        // that share its method (what stimulusPicture does).
        std::vector<double> shares;
        for (size_t i = 0; i < set.images.size(); ++i) {
            const double own = heatmapScale(set.heatmaps[c][int64_t(i)], request.clipPercentile);
            double shown = own;
            if (request.sharedScale) {
                for (size_t other = 0; other < set.conditions.size(); ++other) {
                    if (set.conditions[other].method.method == condition.method.method)
                        shown = std::max(shown, heatmapScale(set.heatmaps[other][int64_t(i)], request.clipPercentile));
                }
            }
            shares.push_back(shown > 0 ? own / shown : 1.0);
        }
        std::sort(shares.begin(), shares.end());
        preview.scaleShare.push_back(shares[shares.size() / 2]);
        if (preview.scaleShare.back() < StimuliPreview::kFaintShare) {
            preview.warnings.push_back(preview.conditions.back() + ": its maps reach only " +
                                       std::to_string(int(std::lround(100 * preview.scaleShare.back()))) +
                                       " % of the shared colour scale, so they will look nearly empty beside the others' "
                                       "(choose per-map scale, or show the top k % of pixels, for matched visibility)");
        }
    }
    return preview;
}

JobResult runStimuliJob(const StimuliRequest& request, Feedback& feedback) {
    return runGuarded([&]() -> JobResult {
        validateStimuliRequest(request);
        prepareCpuCompute(request.threads);
        const PrecisionScope precision(request.precision);
        const auto set = explainConditions(request, feedback);
        writeFolderAtomically(request.outputDir, [&](const fs::path& folder) {
            std::map<std::pair<size_t, size_t>, std::string> fileOf;  // (image, condition) → stimulus file
            std::string attentionFile;
            const auto manifest = writeStimuli(request, set, folder / studyLayout::kBundleFolder, fileOf, attentionFile);
            writePrivateFiles(request, set, manifest, folder / studyLayout::kPrivateFolder);
            writeTextFileAtomically(folder / studyLayout::kOrdersFile, trialOrdersCsv(request, set, fileOf, attentionFile));
            writeStudyFiles(folder.string(), request.study);
        });
        feedback.setProgress(1.0, "done");
        return JobResult::completed("wrote " + std::to_string(set.images.size() * set.conditions.size()) + " stimuli (" +
                                    std::to_string(set.images.size()) + " images × " + std::to_string(set.conditions.size()) +
                                    " conditions) and " + std::to_string(request.participants) + " participants' orders to " +
                                    request.outputDir + "; send participants only " + request.outputDir + "/" + studyLayout::kBundleFolder);
    });
}

}  // namespace sw
