#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "jobs/SliceJob.h"
#include "util/ListParsing.h"

namespace sw::cli {

void addSliceCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("slice",
                                       "The models along a line x + t·d through one image: logit, margin, gradient norm and the "
                                       "map's similarity to the map at x, with the image's curvature and RIS/ROS (docs/GEOMETRY.md)");
    command->footer(
        "Example (the demo's natural and adversarial LeNets, along the PGD direction):\n"
        "  saliency-cli slice --models lenet-natural.swm,lenet-adv-eps0.1.swm --index 0 --direction pgd --radius 0.1 --out slice");
    struct Options {
        SliceRequest request;
        bool signedMaps = false;
        std::string models;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--models", options->models, "Comma-separated model files")->required();
    command->add_option("--dataset", request.datasetSpec, "Dataset SPEC (default split: test)")->capture_default_str();
    command->add_option("--index", request.index, "The sample the line goes through")->capture_default_str();
    command->add_option("--image", request.imageFile, "An image file instead of a dataset sample");
    command->add_option("--direction", request.direction, sliceDirectionHelp())->capture_default_str();
    command->add_option("--radius", request.slice.radius, "t runs over [-radius, radius]; d is scaled to max|d| = 1 (pixel units, as ε)")
        ->capture_default_str();
    command->add_option("--points", request.slice.points, "Points along the line (odd, so that t = 0 is one)")->capture_default_str();
    addSaliencyOptions(*command, request.saliency, options->signedMaps);
    command->add_option("--seed", request.seed, "Seed of the random direction, PGD's start and the RIS/ROS perturbations")
        ->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision);
    command->add_flag("--png", request.writePng, "Also write overlays of the maps at five values of t");
    command->add_option("--out", request.outputDir, "Output folder: slice.csv, maps-<model>.npy, geometry.json")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        request.saliency.absolute = !options->signedMaps;
        if (!parsedOrReported(exitCode, [&] {
                for (const auto& path : splitCommaList(options->models)) request.models.push_back(ModelReference{path, {}, {}});
            })) {
            return;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        const auto result = runSliceJob(request, feedback, [](const ModelSlice& entry) {
            const size_t centre = entry.centre();
            // Where the prediction first changes on each side of t = 0: how far the image is from a boundary.
            std::string leftFlip = "none", rightFlip = "none";
            for (size_t i = centre + 1; i-- > 0;) {
                if (entry.predictions[i] != entry.explainedClass) {
                    leftFlip = std::to_string(entry.steps[i]);
                    break;
                }
            }
            for (size_t i = centre; i < entry.steps.size(); ++i) {
                if (entry.predictions[i] != entry.explainedClass) {
                    rightFlip = std::to_string(entry.steps[i]);
                    break;
                }
            }
            std::printf("%-28s class %s  margin %.3f at t=0  prediction changes at t=%s / %s  SSIM at the ends %.3f / %.3f\n",
                        entry.model.c_str(), entry.explainedClassName.c_str(), entry.margin[centre], leftFlip.c_str(), rightFlip.c_str(),
                        entry.ssim.front(), entry.ssim.back());
            const std::string hessian = entry.geometry.hessianNorm ? std::to_string(*entry.geometry.hessianNorm) : "n/a (TorchScript)";
            std::printf("%-28s curvature %.4g  Hessian %s  RIS %.4g  ROS %.4g\n", "", entry.geometry.localCurvature, hessian.c_str(),
                        entry.geometry.ris, entry.geometry.ros);
            std::fflush(stdout);
        });
        exitCode = reportOutcome(result);
    });
}

}  // namespace sw::cli
