#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "jobs/CurvesJob.h"
#include "metrics/EvaluationMeasures.h"

namespace sw::cli {

void addCurvesCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("curves", "Stability perturbation curves of several models, as one tidy CSV");
    command->footer("Example:\n  saliency-cli curves --models natural.swm,robust.swm --measure ssim,ris --limit 200 --csv curves.csv");
    struct Options {
        CurvesRequest request;
        bool signedMaps = false;
        std::string models, measures = "ssim", noise;
    };
    auto options = std::make_shared<Options>();
    auto& request = options->request;
    command->add_option("--models", options->models, "Comma-separated model files")->required();
    command->add_option("--dataset", request.datasetSpec, "Dataset SPEC (default split: test)")->capture_default_str();
    command->add_option("--limit", request.limit, "First N images of the dataset")->capture_default_str();
    addSaliencyOptions(*command, request.saliency, options->signedMaps);
    command->add_option("--measure", options->measures, "Comma-separated: " + evaluationMeasureIdList(true))->capture_default_str();
    command->add_option("--noise", options->noise, "Noise sigmas (default: the authors' 8)");
    command->add_option("--seed", request.seed, "Seed of the noise")->capture_default_str();
    addComputeOptions(*command, request.device, request.threads, request.precision);
    command->add_option("--csv", request.csvPath, "CSV to write")->required();
    command->callback([options, &exitCode] {
        auto& request = options->request;
        request.saliency.absolute = !options->signedMaps;
        if (!parsedOrReported(exitCode, [&] {
                request.modelPaths = splitCommaList(options->models);
                request.measures = splitCommaList(options->measures);
                request.noiseLevels = parseNumberList(options->noise, "--noise");
            })) {
            return;
        }
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        const auto result = runCurvesJob(request, feedback, [](const CurveRow& row) {
            std::printf("%-24s %-8s %-8s σ=%.2f  %.4f [%.4f, %.4f]  n=%lld\n", row.model.c_str(), row.method.c_str(), row.measure.c_str(),
                        row.noiseSigma, row.mean, row.ciLow, row.ciHigh, static_cast<long long>(row.n));
            std::fflush(stdout);
        });
        exitCode = reportOutcome(result);
    });
}

}  // namespace sw::cli
