#include "jobs/ExplainJob.h"

#include <filesystem>
#include <sstream>

#include "data/DatasetLoader.h"
#include "data/ImageFile.h"
#include "explain/SaliencyExplainer.h"
#include "explain/SaliencyMethods.h"
#include "io/HeatmapStyle.h"
#include "io/NpyFile.h"
#include "io/OverlayFiles.h"
#include "jobs/detail/SelectedInputs.h"
#include "models/ModelFile.h"
#include "models/Predictions.h"
#include "util/AtomicFile.h"
#include "util/ComputeDevice.h"
#include "util/ListParsing.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

/// Everything that can be checked before any work: a bad option never costs a computation.
void validateExplainRequest(const ExplainRequest& request) {
    if (request.outputDir.empty()) throw InputError("--out", "an output folder is required");
    request.saliency.validate();
    if (request.imageFiles.empty()) parseIndexList(request.indices);
    if (!request.writePng) return;
    if (!haveImageSupport()) throw InputError("--png", "this build has no OpenCV, so it cannot write PNG overlays; leave out --png");
    if (!request.colormap.empty() && !isKnownColormap(request.colormap)) {
        throw InputError("--colormap " + request.colormap, "expected one of " + joinCommaList(knownColormaps()));
    }
    if (request.pngSize < 1 || request.pngSize > 8192) {
        throw InputError("--png-size " + std::to_string(request.pngSize), "must be between 1 and 8192 pixels");
    }
    if (!(request.clipPercentile > 0.0 && request.clipPercentile <= 100.0)) {
        throw InputError("--clip-percentile " + std::to_string(request.clipPercentile), "must be a percentile in (0, 100]");
    }
}

}  // namespace

JobResult runExplainJob(const ExplainRequest& request, Feedback& feedback) {
    return runGuarded([&]() -> JobResult {
        validateExplainRequest(request);
        prepareCpuCompute(request.threads);
        const PrecisionScope precision(request.precision);
        auto model = loadModel(request.modelPath, TorchScriptMetadata{request.inputShape, request.classNames});
        model->moveTo(resolveDevice(request.device));
        // Before the inputs are read: a method the model cannot serve is refused first, saying why.
        SaliencyExplainer explainer(*model, request.saliency);
        const auto inputs = loadInputs(*model, request.modelPath, request.datasetSpec, request.indices, request.imageFiles);
        // The opening line says what a long method will cost before it starts (the CLI prints it).
        const auto& pixels = inputs.pixels;
        std::string opening = "explaining " + std::to_string(pixels.size(0)) + " images with " + describeSaliencyMethod(explainer.config());
        if (const auto cost = describeCost(explainer.config(), pixels.size(0), pixels.size(2), pixels.size(3)); !cost.empty()) {
            opening += " (" + cost + ")";
        }
        feedback.setProgress(0.0, opening);
        const auto targets = explainer.resolveTargets(inputs.pixels, inputs.labels);
        const auto attributions = explainer.attribute(inputs.pixels, targets, &feedback);
        const auto heatmaps = heatmapOf(attributions, request.saliency.heatmapReduction).cpu();
        const auto predictions = predict(*model, inputs.pixels, request.saliency.maxBatch);

        // All files go to a temporary folder first, so a failure (a full disk, a bad PNG) leaves no partial output.
        writeFolderAtomically(request.outputDir, [&](const fs::path& folder) {
            writeNpy(folder / "attributions.npy", attributions.cpu().to(torch::kFloat32));
            writeNpy(folder / "heatmaps.npy", heatmaps.to(torch::kFloat32));
            std::ostringstream csv;
            csv << "index,source,label,prediction,confidence,target,label_name,prediction_name\n";
            for (int64_t i = 0; i < heatmaps.size(0); ++i) {
                const int64_t label = inputs.labels[i].item<int64_t>();
                const auto& predicted = predictions[size_t(i)];
                csv << inputs.indices[size_t(i)] << ',' << csvField(inputs.sources[size_t(i)]) << ',' << label << ',' << predicted.index
                    << ',' << float(predicted.confidence) << ',' << targets[i].item<int64_t>() << ','
                    << csvField(label >= 0 ? classNameOf(*model, label) : "") << ',' << csvField(predicted.className) << '\n';
            }
            writeTextFileAtomically(folder / "index.csv", csv.str());
            // How the maps were computed, so a map can always be traced back (docs/METRICS.md).
            const nlohmann::json provenance = {{"model", request.modelPath},
                                               {"method", explainer.config().toJson()},
                                               {"precision", precisionName(request.precision)},
                                               {"device", model->device().str()},
                                               {"program_version", programVersion()}};
            writeTextFileAtomically(folder / "explanation.json", provenance.dump(2) + "\n");
            if (!request.writePng) return;
            OverlayOptions overlays;
            overlays.style.colormap = request.colormap.empty() ? defaultColormap(request.saliency.producesSignedMaps()) : request.colormap;
            overlays.style.clipPercentile = request.clipPercentile;
            overlays.minimumSide = request.pngSize;
            overlays.sharedScale = request.sharedScale;
            writeOverlayPngs(folder, request.outputDir, inputs.pixels, heatmaps, inputs.indices, overlays);
        });
        std::string message;
        for (const auto& notice : inputs.notices) message += "note: " + notice + "\n";
        return JobResult::completed(message + "wrote " + std::to_string(heatmaps.size(0)) + " maps to " + request.outputDir);
    });
}

}  // namespace sw
