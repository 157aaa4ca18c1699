#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "jobs/ExplainJob.h"

namespace sw::cli {

void addExplainCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("explain", "Saliency maps of dataset samples or image files, as .npy (and PNG overlays)");
    command->footer(
        "Examples:\n"
        "  saliency-cli explain --model robust.swm --dataset fmnist:test --indices 0-9 --method ig --png --png-size 280 --out maps\n"
        "  saliency-cli explain --model robust.swm --image photo.png --png --out photo-maps   (the photo is fitted to the model)");
    struct Options {
        ExplainRequest request;
        bool signedMaps = false;
        TorchScriptFlags torchScript;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--model", request.modelPath, "Model file: .swm, or TorchScript .pt (see --input-shape)")->required();
    command->add_option("--dataset", request.datasetSpec, "Dataset SPEC (default split: test)");
    command->add_option("--indices", request.indices, "Samples, e.g. 0-99 or 3,7,10-12")->capture_default_str();
    command->add_option("--image", request.imageFiles, "Image file(s) instead of a dataset");
    addSaliencyOptions(*command, request.saliency, options->signedMaps);
    command->add_option("--seed", request.saliency.seed, "Seed of SmoothGrad's and VarGrad's noise")->capture_default_str();
    command->add_flag("--png", request.writePng, "Also write overlay_<index>.png");
    command->add_option("--png-size", request.pngSize, "Shorter side of each overlay PNG, at least (enlarged by whole pixels, no blur)")
        ->capture_default_str();
    command->add_option("--colormap", request.colormap, colormapHelp());
    command->add_flag("--shared-scale", request.sharedScale, "One colour scale for all overlays");
    command->add_option("--clip-percentile", request.clipPercentile, "Colour scale from this percentile of |map|")->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision);
    options->torchScript.addTo(*command);
    command->add_option("--out", request.outputDir, "Output folder")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        request.saliency.absolute = !options->signedMaps;
        if (!parsedOrReported(exitCode, [&] {
                request.inputShape = options->torchScript.shape();
                request.classNames = options->torchScript.classNames();
            })) {
            return;
        }
        // The job's opening line (what it explains and, for a slow method, its cost) goes to stderr first.
        Feedback feedback([](double fraction, const std::string& message) {
            if (fraction == 0.0 && !message.empty()) std::fprintf(stderr, "%s\n", message.c_str());
        });
        InterruptCancels interrupts(feedback);
        const auto result = runExplainJob(request, feedback);
        exitCode = reportOutcome(result);
        if (result.outcome == Outcome::Completed) std::printf("%s\n", result.message.c_str());
    });
}

}  // namespace sw::cli
