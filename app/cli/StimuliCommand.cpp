#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "explain/SaliencyMethods.h"
#include "study/StimuliJob.h"

namespace sw::cli {

void addStimuliCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("stimuli",
                                       "The stimulus set of a human study: models × methods on chosen images, blind file names, "
                                       "counterbalanced trial orders and a manifest with SHA-256 hashes (docs/STUDY.md)");
    command->footer(
        "Example (the three demo models, VG and IG, 12 images stratified by class, 24 participants):\n"
        "  saliency-cli stimuli --models lenet-natural.swm,lenet-adv-eps0.1.swm,lenet-adv-eps0.1-gaussian.swm \\\n"
        "      --methods vg,ig --images 12 --only-correct --participants 24 --attention-every 10 --out study");
    struct Options {
        StimuliRequest request;
        std::string models;
        std::string methods = "vg,ig";
        bool perMapScale = false;
        bool random = false;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--models", options->models, "Comma-separated model files; each with each method is a condition")->required();
    command->add_option("--methods", options->methods, "Comma-separated: " + saliencyMethodIdList())->capture_default_str();
    command->add_option("--dataset", request.datasetSpec, "Dataset SPEC (default split: test)")->capture_default_str();
    command->add_option("--indices", request.indices, "These images, e.g. 0-9,17 (instead of a draw)");
    command->add_option("--images", request.imageCount, "How many images to draw from the seed")->capture_default_str();
    command->add_flag("--random", options->random, "Draw uniformly instead of evenly over the classes");
    command->add_flag("--only-correct", request.onlyCorrect, "Only images that every model classifies correctly");
    command->add_option("--layout", request.layout, "overlay (map over the image) or side-by-side (image | map)")->capture_default_str();
    command->add_option("--pixel-size", request.pixelSize, "Screen pixels per image pixel (no blur)")->capture_default_str();
    command->add_option("--colormap", request.colormap, colormapHelp());
    command->add_option("--opacity", request.opacity, "Opacity of the map over the image")->capture_default_str();
    command->add_flag("--per-map-scale", options->perMapScale, "Scale each map by itself (default: one scale per image and method)");
    command->add_option("--clip-percentile", request.clipPercentile, "Colour scale from this percentile of |map|")->capture_default_str();
    command->add_option("--top-k", request.topKPercent, "Matched sparsity: show only each map's top k % of pixels")->capture_default_str();
    command->add_flag("--caption", request.caption, "Write the predicted class under each stimulus");
    command->add_option("--participants", request.participants, "Trial orders for this many participants")->capture_default_str();
    command->add_option("--attention-every", request.attentionEvery, "An attention-check trial after every N trials (0 = none)")
        ->capture_default_str();
    command->add_option("--seed", request.seed, "Seed of the image draw, the condition codes and the orders")->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision);
    command->add_option("--out", request.outputDir, "Study folder to write")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        request.modelPaths = splitCommaList(options->models);
        request.methods = splitCommaList(options->methods);
        request.sharedScale = !options->perMapScale;
        request.stratified = !options->random;
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        const auto result = runStimuliJob(request, feedback);
        exitCode = reportOutcome(result);
        if (result.outcome == Outcome::Completed) std::printf("%s\n", result.message.c_str());
    });
}

}  // namespace sw::cli
