#include "study/StimuliJob.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "data/DatasetLoader.h"
#include "data/ImageConversion.h"
#include "explain/SaliencyExplainer.h"
#include "explain/SaliencyMethods.h"
#include "io/HeatmapImage.h"
#include "io/ReportDocument.h"
#include "models/ModelDescription.h"
#include "models/ModelFile.h"
#include "study/TrialOrder.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/ListParsing.h"
#include "util/Sha256.h"

namespace sw {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int64_t kPredictionBatch = 500;

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

torch::Tensor predictAll(ImageClassifier& model, const Dataset& data) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (int64_t start = 0; start < data.size(); start += kPredictionBatch) {
        const auto indices = torch::arange(start, std::min(data.size(), start + kPredictionBatch));
        parts.push_back(model.logits(data.floatImages(indices).to(model.device())).argmax(1).cpu());
    }
    return torch::cat(parts);
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

json methodParameters(const SaliencyConfig& config) {
    json parameters = {{"method", config.method}, {"absolute", config.absolute}, {"target", config.target}};
    if (config.method == "ig") parameters.update({{"ig_steps", config.igSteps}, {"ig_rule", config.igRule}, {"baseline", config.baseline}});
    if (saliencyMethod(config.method).noiseBased)
        parameters.update({{"sg_samples", config.sgSamples}, {"sg_sigma", config.sgSigma}, {"seed", config.seed}});
    return parameters;
}

}  // namespace

JobResult runStimuliJob(const StimuliRequest& request, Feedback& feedback) {
    return runGuarded([&]() -> JobResult {
        validateStimuliRequest(request);
        setComputeThreads(request.threads);
        const auto device = resolveDevice(request.device);
        std::vector<std::unique_ptr<ImageClassifier>> models;
        std::vector<std::string> modelHashes;
        for (const auto& path : request.modelPaths) {
            models.push_back(loadModel(path));
            models.back()->moveTo(device);
            modelHashes.push_back(sha256OfFile(path));
        }
        const auto shape = models.front()->description().inputShape;
        for (size_t m = 1; m < models.size(); ++m) {
            if (models[m]->description().inputShape != shape) {
                throw InputError(request.modelPaths[m], "takes " + models[m]->description().inputShapeText() + " images, the first model " +
                                                            models.front()->description().inputShapeText());
            }
        }
        DatasetLoadOptions load;
        load.imageShape = shape;
        const auto data = loadDataset(DatasetSpec::parse(request.datasetSpec), load);
        for (size_t m = 0; m < models.size(); ++m) models[m]->checkCompatible(data, request.modelPaths[m]);
        throwIfCancelled(&feedback);

        std::vector<torch::Tensor> allPredictions;
        if (request.indices.empty() && request.onlyCorrect) {
            for (auto& model : models) allPredictions.push_back(predictAll(*model, data));
        }
        const auto images = chooseImages(request, data, allPredictions);
        const auto selection = torch::tensor(images, torch::kInt64);
        const auto pixels = data.floatImages(selection);
        const auto labels = data.labels.index_select(0, selection);

        // Conditions in model-major order; their codes are a seeded permutation of c1…cN.
        std::vector<Condition> conditions;
        for (size_t m = 0; m < models.size(); ++m) {
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

        // Every condition's maps, predictions and confidences for the chosen images.
        std::vector<torch::Tensor> heatmaps, predictions, confidences;
        for (size_t c = 0; c < conditions.size(); ++c) {
            throwIfCancelled(&feedback);
            feedback.setProgress(double(c) / double(conditions.size()),
                                 "explaining condition " + std::to_string(c + 1) + " of " + std::to_string(conditions.size()));
            auto& model = *models[conditions[c].model];
            const auto input = pixels.to(model.device());
            {
                torch::NoGradGuard noGrad;
                const auto [confidence, predicted] = torch::softmax(model.logits(input), 1).max(1);
                predictions.push_back(predicted.cpu());
                confidences.push_back(confidence.cpu());
            }
            SaliencyExplainer explainer(model, conditions[c].method);
            const auto attributions = explainer.attribute(input, explainer.resolveTargets(input, labels.to(model.device())), &feedback);
            heatmaps.push_back(heatmapOf(attributions, conditions[c].method.heatmapReduction).cpu());
        }

        const auto& classes = data.classNames.empty() ? models.front()->description().classes : data.classNames;
        auto className = [&](int64_t index) {
            return index >= 0 && size_t(index) < classes.size() ? classes[size_t(index)] : std::to_string(index);
        };
        const json rendering = {{"layout", request.layout},
                                {"pixel_size", request.pixelSize},
                                {"colormap", request.colormap.empty() ? "default" : request.colormap},
                                {"opacity", request.opacity},
                                {"scale", request.sharedScale ? "shared per image and method" : "per map"},
                                {"clip_percentile", request.clipPercentile},
                                {"top_k_percent", request.topKPercent},
                                {"caption", request.caption}};
        const int minimumSide = request.pixelSize * int(std::min(shape[1], shape[2]));

        writeFolderAtomically(request.outputDir, [&](const fs::path& folder) {
            fs::create_directories(folder / "stimuli");
            json manifest = json::array();
            std::ostringstream csv;
            csv << "file,sha256,image,image_index,label,label_name,condition,prediction,prediction_name,confidence,model_sha256,method,"
                   "method_parameters,rendering,seed,program_version\n";
            std::map<std::pair<size_t, size_t>, std::string> fileOf;  // (image, condition) → stimulus file
            for (size_t i = 0; i < images.size(); ++i) {
                for (size_t c = 0; c < conditions.size(); ++c) {
                    const auto& condition = conditions[c];
                    HeatmapStyle style;
                    style.colormap = request.colormap.empty() ? defaultColormap(condition.method.producesSignedMaps()) : request.colormap;
                    style.opacity = request.layout == "overlay" ? request.opacity : 1.0;
                    style.clipPercentile = request.clipPercentile;
                    style.topKPercent = request.topKPercent;
                    if (request.sharedScale) {
                        // One scale for the image's conditions that share a method (methods differ in units).
                        double scale = 0.0;
                        for (size_t other = 0; other < conditions.size(); ++other) {
                            if (conditions[other].method.method == condition.method.method)
                                scale = std::max(scale, heatmapScale(heatmaps[other][int64_t(i)], request.clipPercentile));
                        }
                        style.scaleMax = scale > 0 ? scale : 1.0;
                    }
                    cv::Mat picture = renderOverlay(pixels[int64_t(i)], heatmaps[c][int64_t(i)], style, minimumSide);
                    if (request.layout == "side-by-side") {
                        HeatmapStyle plain = style;
                        plain.opacity = 0.0;  // the image alone, in the same grey
                        cv::Mat original = renderOverlay(pixels[int64_t(i)], heatmaps[c][int64_t(i)], plain, minimumSide);
                        cv::Mat gap(picture.rows, request.pixelSize * 2, CV_8UC3, cv::Scalar(255, 255, 255));
                        cv::hconcat(std::vector<cv::Mat>{original, gap, picture}, picture);
                    }
                    const int64_t predicted = predictions[c][int64_t(i)].item<int64_t>();
                    if (request.caption) picture = withCaption(picture, "predicted: " + className(predicted));
                    std::ostringstream name;
                    name << "img" << std::setw(2) << std::setfill('0') << i << "_" << condition.code << ".png";
                    const fs::path file = folder / "stimuli" / name.str();
                    writePng(file, picture);
                    fileOf[{i, c}] = "stimuli/" + name.str();
                    const int64_t label = labels[int64_t(i)].item<int64_t>();
                    const json entry = {{"file", fileOf[{i, c}]},
                                        {"sha256", sha256OfFile(file)},
                                        {"image", i},
                                        {"image_index", images[i]},
                                        {"label", label},
                                        {"label_name", className(label)},
                                        {"condition", condition.code},
                                        {"prediction", predicted},
                                        {"prediction_name", className(predicted)},
                                        {"confidence", fixedDecimals(confidences[c][int64_t(i)].item<double>(), 6)},
                                        {"model_sha256", modelHashes[condition.model]},
                                        {"method", condition.method.method},
                                        {"method_parameters", methodParameters(condition.method)},
                                        {"rendering", rendering},
                                        {"seed", request.seed},
                                        {"program_version", programVersion()}};
                    manifest.push_back(entry);
                    csv << entry["file"].get<std::string>() << ',' << entry["sha256"].get<std::string>() << ',' << i << ',' << images[i]
                        << ',' << label << ',' << csvField(className(label)) << ',' << condition.code << ',' << predicted << ','
                        << csvField(className(predicted)) << ',' << entry["confidence"].get<std::string>() << ','
                        << modelHashes[condition.model] << ',' << condition.method.method << ','
                        << csvField(methodParameters(condition.method).dump()) << ',' << csvField(rendering.dump()) << ',' << request.seed
                        << ',' << programVersion() << '\n';
                }
            }
            std::string attentionFile;
            if (request.attentionEvery > 0) {
                const int width = request.layout == "side-by-side" ? 2 * minimumSide + 2 * request.pixelSize : minimumSide;
                attentionFile = "stimuli/attention.png";
                cv::Mat picture = attentionPicture(width, minimumSide);
                if (request.caption) picture = withCaption(picture, " ");  // the same size as the captioned stimuli
                writePng(folder / attentionFile, picture);
                manifest.push_back({{"file", attentionFile},
                                    {"sha256", sha256OfFile(folder / attentionFile)},
                                    {"attention_check", true},
                                    {"answer", kAttentionCheckAnswer}});
                csv << attentionFile << ',' << manifest.back()["sha256"].get<std::string>() << ",,,,,attention,,,,,,,," << request.seed
                    << ',' << programVersion() << '\n';
            }
            writeTextFileAtomically(folder / "manifest.json", manifest.dump(2) + "\n");
            writeTextFileAtomically(folder / "manifest.csv", csv.str());

            json key = json::object();
            for (const auto& condition : conditions) {
                key[condition.code] = {{"model", fs::path(request.modelPaths[condition.model]).filename().string()},
                                       {"model_sha256", modelHashes[condition.model]},
                                       {"badge", models[condition.model]->description().badge()},
                                       {"method", condition.method.method},
                                       {"method_parameters", methodParameters(condition.method)}};
            }
            writeTextFileAtomically(folder / "key.json", key.dump(2) + "\n");

            std::ostringstream orders;
            orders << "participant,trial,file,image,condition,attention_check\n";
            TrialOrderOptions options;
            options.images = int(images.size());
            options.conditions = int(conditions.size());
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
                        orders << fileOf[{size_t(trial.image), size_t(trial.condition)}] << ',' << trial.image << ','
                               << conditions[size_t(trial.condition)].code << ",0\n";
                }
            }
            writeTextFileAtomically(folder / "orders.csv", orders.str());
            writeStudyFiles(folder.string(), request.study);
        });
        feedback.setProgress(1.0, "done");
        return JobResult::completed("wrote " + std::to_string(images.size() * conditions.size()) + " stimuli (" +
                                    std::to_string(images.size()) + " images × " + std::to_string(conditions.size()) + " conditions) and " +
                                    std::to_string(request.participants) + " participants' orders to " + request.outputDir);
    });
}

}  // namespace sw
