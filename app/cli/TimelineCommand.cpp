#include <cmath>
#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "SaliencyOptions.h"
#include "jobs/TimelineExportJob.h"
#include "timeline/TimelineFolder.h"

namespace sw::cli {

namespace {

/// One line per run: how its accuracy and the first method's Gini and RIS moved, and when the Gini got most of
/// the way (the step where it first covers 90 % of its change from the first snapshot to the last).
void printRunSummary(const std::string& run) {
    const auto folder = TimelineFolder::ofRun(run);
    const auto index = folder.readIndex();
    if (index.snapshots.empty()) {
        std::printf("%-24s no snapshot yet\n", folder.runName().c_str());
        return;
    }
    const auto& method = index.options.methods.front();
    const auto& first = index.snapshots.front();
    const auto& last = index.snapshots.back();
    const double giniFirst = first.measures.at(method).gini, giniLast = last.measures.at(method).gini;
    int64_t sparseStep = last.step;
    for (const auto& snapshot : index.snapshots) {
        const double gini = snapshot.measures.at(method).gini;
        if (std::abs(gini - giniFirst) >= 0.9 * std::abs(giniLast - giniFirst)) {
            sparseStep = snapshot.step;
            break;
        }
    }
    std::printf(
        "%-24s %3zu snapshots to step %lld  accuracy %.1f%% -> %.1f%%  %s Gini %.3f -> %.3f (90%% of it by step %lld)  RIS %.3g -> "
        "%.3g\n",
        folder.runName().c_str(), index.snapshots.size(), static_cast<long long>(last.step), 100.0 * first.heldOutAccuracy,
        100.0 * last.heldOutAccuracy, method.c_str(), giniFirst, giniLast, static_cast<long long>(sparseStep),
        first.measures.at(method).ris, last.measures.at(method).ris);
}

}  // namespace

void addTimelineCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("timeline",
                                       "Export recorded saliency timelines (train --timeline): frames, an MP4 for slides and a CSV of the "
                                       "measures over training, with one row per run (docs/TIMELINE.md)");
    command->footer(
        "Example (two runs trained with --timeline, side by side):\n"
        "  saliency-cli timeline natural.swm adversarial.swm --method vg --out timeline-export");
    auto request = std::make_shared<TimelineExportRequest>();
    auto noFrames = std::make_shared<bool>(false);
    auto noAnimation = std::make_shared<bool>(false);
    auto noCsv = std::make_shared<bool>(false);
    command->add_option("runs", request->runs, "Runs: MODEL.timeline folders, or the model files they sit beside")->required();
    command->add_option("--method", request->method, "The method the frames show (default: the first one recorded)");
    command->add_option("--out", request->outputDir, "Output folder: measures.csv, frames/step-N.png, timeline.mp4")->required();
    command->add_flag("--no-frames", *noFrames, "Leave out the PNG frames");
    command->add_flag("--no-animation", *noAnimation, "Leave out the MP4");
    command->add_flag("--no-csv", *noCsv, "Leave out measures.csv");
    command->add_option("--fps", request->framesPerSecond, "Frames per second of the animation")->capture_default_str();
    command->add_option("--cell", request->cellSide, "Pixels per probe image in the frames")->capture_default_str();
    command->add_option("--colormap", request->style.colormap, colormapHelp())->capture_default_str();
    command->callback([request, noFrames, noAnimation, noCsv, &exitCode] {
        request->frames = !*noFrames;
        request->animation = !*noAnimation;
        request->csv = !*noCsv;
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        const auto result = runTimelineExportJob(*request, feedback);
        if (result.outcome == Outcome::Completed) {
            for (const auto& run : request->runs) printRunSummary(run);
            std::printf("%s\n", result.message.c_str());
        }
        exitCode = reportOutcome(result);
    });
}

}  // namespace sw::cli
