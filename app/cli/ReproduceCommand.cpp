#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "reproduce/ReproduceJob.h"
#include "reproduce/ReproducePlan.h"
#ifdef SW_HAVE_UI
#include "stability/ReportFigures.h"
#endif

namespace sw::cli {

void addReproduceCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("reproduce",
                                       "Reproduce the paper: train the natural, adversarial (ε sweep) and smoothed models, evaluate them "
                                       "with VG and IG, and write a report folder (Markdown, HTML, CSV/JSON, figures)");
    auto request = std::make_shared<ReproduceRequest>();
    command->add_option("--preset", request->preset, "fmnist, cifar10 or imagenette")->capture_default_str();
    command
        ->add_option("--budget", request->budget,
                     "quick (30 min on 2 cores for fmnist), paper (the authors' epochs; resumable) or smoke (seconds, tests)")
        ->capture_default_str();
    command->add_option("--data", request->dataLocation, "Dataset folder (default for fmnist: Debian's dataset-fashion-mnist)");
    command->add_option("--out", request->outputDir, "Report folder; run again with the same folder to resume")->required();
    command->add_option("--seed", request->seed)->capture_default_str();
    addComputeOptions(*command, request->device, request->threads);
    command->callback([request, &exitCode] {
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
        auto report = writeReproductionReportFor(*request);
#ifdef SW_HAVE_UI
        if (report.outcome == Outcome::Completed) {
            const auto plan = makeReproducePlan(request->preset, request->budget, request->dataLocation, request->seed);
            const std::vector<int64_t> images = plan.budget.name == "smoke" ? std::vector<int64_t>{0} : std::vector<int64_t>{0, 1, 2};
            const auto problem = sw::ui::renderReportFigures(request->outputDir, images, plan.budget.igSteps);
            if (!problem.empty()) std::fprintf(stderr, "Warning: figures not drawn: %s\n", problem.c_str());
            report = writeReproductionReportFor(*request);
        }
#else
        std::printf("(built without the GUI: the report has tables but no figures)\n");
#endif
        exitCode = reportOutcome(report);
        if (report.outcome != Outcome::Completed) return;
        std::printf("%s", report.message.c_str());
        std::printf("Report: %s/report.md (and report.html)\n", request->outputDir.c_str());
    });
}

}  // namespace sw::cli
