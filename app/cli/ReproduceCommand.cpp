#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "CommandLineParsing.h"
#include "RecordingOptions.h"
#include "Commands.h"
#include "FigureHelper.h"
#include "reproduce/ReproduceJob.h"
#include "reproduce/ReproducePlan.h"
#include "reproduce/ReproductionFolder.h"

namespace sw::cli {

void addReproduceCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("reproduce",
                                       "Reproduce the paper: train the natural, adversarial (ε sweep) and smoothed models, evaluate them "
                                       "with VG and IG, and write a report folder (Markdown, HTML, CSV/JSON, figures)");
    command->footer(
        "Examples:\n"
        "  saliency-cli reproduce --preset fmnist --budget quick --out runs/reproduction\n"
        "  saliency-cli reproduce --preset fmnist --budget standard --models core --seeds 0-4 --out runs/seeds");
    auto request = std::make_shared<ReproduceRequest>();
    auto seeds = std::make_shared<std::string>();
    auto models = std::make_shared<std::string>();
    command->add_option("--preset", request->preset, "fmnist, cifar10 or imagenette")->capture_default_str();
    command
        ->add_option("--budget", request->budget,
                     "quick (fmnist: 12 min on 2 cores), standard (5x the training; 5 seeds of the core models in an hour), "
                     "paper (the authors' epochs; resumable) or smoke (seconds, tests)")
        ->capture_default_str();
    command->add_option("--seeds", *seeds,
                        "Several training seeds, e.g. 0-4 or 0,1,2: one folder per seed and a report of the variation across them");
    command->add_option("--models", *models,
                        "Only these models of the plan (comma-separated names), or core: natural, adversarial and "
                        "adversarial + Gaussian at the smoothed epsilon");
    command->add_option("--data", request->dataLocation, "Dataset folder (default for fmnist: Debian's dataset-fashion-mnist)");
    command->add_option("--out", request->outputDir, "Report folder; run again with the same folder to resume")->required();
    command->add_option("--seed", request->seed, "Training seed of a single-seed run (--seeds runs several)")->capture_default_str();
    addComputeOptions(*command, request->device, request->threads, request->precision, /*forTraining=*/true);
    addTimelineRecordingOptions(*command, request->timeline);
    command->callback([request, seeds, models, &exitCode] {
        if (!parsedOrReported(exitCode, [&] {
                request->seeds.clear();
                if (!seeds->empty()) {
                    for (const auto seed : parseIndexList(*seeds, "--seeds")) request->seeds.push_back(uint64_t(seed));
                }
                request->models = splitCommaList(*models);
                request->distributed = DistributedLaunch::fromEnvironment();  // one of several ranks (docs/SCALING.md)
            })) {
            return;
        }
        const bool terminal = ::isatty(STDERR_FILENO) != 0;
        Feedback feedback([terminal](double fraction, const std::string& message) {
            if (terminal) std::fprintf(stderr, "\r\033[K[%5.1f %%] %s", 100.0 * fraction, message.c_str());
        });
        InterruptCancels interrupts(feedback);
        const auto result = runReproduceJob(*request, feedback, [terminal](const std::string& line) {
            if (terminal) std::fprintf(stderr, "\r\033[K");
            std::printf("%s\n", line.c_str());
            std::fflush(stdout);
        });
        if (terminal) std::fprintf(stderr, "\r\033[K");
        if (result.outcome != Outcome::Completed) {
            if (result.outcome == Outcome::Cancelled) std::printf("Stopped; run the same command again to continue.\n");
            exitCode = reportOutcome(result);
            return;
        }
        std::printf("%s\n", result.message.c_str());
        if (!request->distributed.isLeader()) return;  // rank 0 writes the report
        auto report = writeReproductionReportFor(*request);
        if (report.outcome == Outcome::Completed) {
            const auto plan = makeReproducePlan(request->preset, request->budget, request->dataLocation, request->seed, request->models);
            const std::string images = plan.budget.name == "smoke" ? "0" : "0,1,2";
            // Each seed's folder gets its own figures; the study's folder the figures across seeds.
            std::vector<std::string> arguments{"reproduction", "--images", images, "--ig-steps", std::to_string(plan.budget.igSteps)};
            for (const auto seed : request->seeds)
                arguments.push_back(ReproductionFolder(request->outputDir).seedFolder(seed).root().string());
            arguments.push_back(request->outputDir);
            if (const auto problem = runFigureHelper(arguments); !problem.empty()) {
                std::fprintf(stderr, "Warning: figures not drawn: %s; the report has tables only\n", problem.c_str());
            }
            report = writeReproductionReportFor(*request);
        }
        exitCode = reportOutcome(report);
        if (report.outcome != Outcome::Completed) return;
        std::printf("%s", report.message.c_str());
        std::printf("Report: %s/report.md (and report.html)\n", request->outputDir.c_str());
    });
}

}  // namespace sw::cli
