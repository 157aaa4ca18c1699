#include "jobs/ExplainJob.h"

#include <filesystem>
#include <sstream>

#ifdef SW_HAVE_OPENCV
#include <opencv2/imgcodecs.hpp>
#endif

#include "data/DatasetLoader.h"
#include "data/ImageFile.h"
#include "explain/SaliencyExplainer.h"
#ifdef SW_HAVE_OPENCV
#include "io/HeatmapImage.h"
#endif
#include "io/NpyFile.h"
#include "jobs/JobSupport.h"
#include "models/ModelFile.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

std::vector<int64_t> parseIndexList(const std::string& text) {
    std::vector<int64_t> indices;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, ',');) {
        if (part.empty()) continue;
        try {
            const auto dash = part.find('-', 1);
            size_t used = 0;
            if (dash == std::string::npos) {
                indices.push_back(std::stoll(part, &used));
                if (used != part.size()) throw std::invalid_argument(part);
                continue;
            }
            const auto first = std::stoll(part.substr(0, dash), &used);
            const auto last = std::stoll(part.substr(dash + 1));
            if (last < first) throw InputError("--indices " + text, "empty index range '" + part + "'");
            for (int64_t i = first; i <= last; ++i) indices.push_back(i);
        } catch (const InputError&) {
            throw;
        } catch (const std::exception&) {
            throw InputError("--indices " + text, "expected ranges like 0-99 or 3,7,10-12");
        }
    }
    if (indices.empty()) throw InputError("--indices " + text, "empty index range");
    for (const auto index : indices) {
        if (index < 0) throw InputError("--indices " + text, "indices must not be negative");
    }
    return indices;
}

JobResult runExplainJob(const ExplainRequest& request, Feedback& feedback) {
    return runGuarded([&]() -> JobResult {
        if (request.outputDir.empty()) throw InputError("--out", "an output folder is required");
        if (request.writePng && !haveImageSupport()) {
            throw InputError("--png", "this build has no OpenCV, so it cannot write PNG overlays; leave out --png");
        }
        setComputeThreads(request.threads);
        auto model = loadModel(request.modelPath, TorchScriptMetadata{request.inputShape, request.classNames});
        model->moveTo(resolveDevice(request.device));
        const auto inputs = loadInputs(*model, request.modelPath, request.datasetSpec, request.indices, request.imageFiles);

        SaliencyExplainer explainer(*model, request.saliency);
        feedback.setProgress(0.0, "explaining " + std::to_string(inputs.pixels.size(0)) + " images");
        const auto targets = explainer.resolveTargets(inputs.pixels, inputs.labels);
        const auto attributions = explainer.attribute(inputs.pixels, targets, &feedback);
        if (!attributions.defined()) return JobResult::cancelled();
        const auto heatmaps = heatmapOf(attributions, request.saliency.heatmapReduction).cpu();
        torch::Tensor probabilities;
        {
            torch::NoGradGuard noGrad;
            probabilities = torch::softmax(model->logits(inputs.pixels.to(model->device())), 1).cpu();
        }
        const auto [confidence, prediction] = probabilities.max(1);

        // Everything is computed before the first file is written, so a failure leaves no partial output.
        const fs::path folder = request.outputDir;
        writeNpy(folder / "attributions.npy", attributions.cpu().to(torch::kFloat32));
        writeNpy(folder / "heatmaps.npy", heatmaps.to(torch::kFloat32));
        std::ostringstream csv;
        csv << "index,source,label,prediction,confidence,target\n";
        for (int64_t i = 0; i < heatmaps.size(0); ++i) {
            csv << inputs.indices[size_t(i)] << ',' << inputs.sources[size_t(i)] << ',' << inputs.labels[i].item<int64_t>() << ','
                << prediction[i].item<int64_t>() << ',' << confidence[i].item<float>() << ',' << targets[i].item<int64_t>() << '\n';
        }
        writeTextFileAtomically(folder / "index.csv", csv.str());
        if (request.writePng) {
#ifdef SW_HAVE_OPENCV
            const bool signedMap = request.saliency.producesSignedMaps();
            HeatmapStyle style;
            style.colormap = request.colormap.empty() ? (signedMap ? "diverging" : "inferno") : request.colormap;
            if (!isKnownColormap(style.colormap)) throw InputError("--colormap " + style.colormap, "expected inferno, viridis, magma, plasma or diverging");
            style.clipPercentile = request.clipPercentile;
            if (request.sharedScale) style.scaleMax = heatmapScale(heatmaps, request.clipPercentile);
            for (int64_t i = 0; i < heatmaps.size(0); ++i) {
                const auto image = renderOverlay(inputs.pixels[i], heatmaps[i], style);
                const auto path = folder / ("overlay_" + std::to_string(inputs.indices[size_t(i)]) + ".png");
                writeFileAtomically(path, [&](const fs::path& temporary) {
                    if (!cv::imwrite(temporary.string() + ".png", image)) throw InputError(path.string(), "cannot write PNG");
                    fs::rename(temporary.string() + ".png", temporary);
                });
            }
#endif
        }
        return JobResult::completed("wrote " + std::to_string(heatmaps.size(0)) + " maps to " + folder.string());
    });
}

}  // namespace sw
