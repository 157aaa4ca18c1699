#include "RecordingOptions.h"

#include "util/ListParsing.h"

namespace sw::cli {

void addTimelineRecordingOptions(CLI::App& command, TimelineOptions& options) {
    const auto group = "Saliency timeline (docs/TIMELINE.md)";
    command.add_flag("--timeline", options.enabled, "Record the probe images' maps and measures while training, into OUT.timeline/")
        ->group(group);
    command
        .add_option_function<std::string>(
            "--timeline-probes",
            [&options](const std::string& text) {
                options.probeIndices = parseIndexList(text, "--timeline-probes");
                options.enabled = true;
            },
            "Test images to follow, e.g. 0-9,42 (default: one per class, then the first misclassified ones)")
        ->group(group);
    command.add_option("--timeline-probe-count", options.probeCount, "How many probe images the default set holds")
        ->capture_default_str()
        ->group(group);
    command
        .add_option_function<std::string>(
            "--timeline-methods",
            [&options](const std::string& text) {
                options.methods = splitCommaList(text);
                options.enabled = true;
            },
            "Saliency methods to record, comma-separated (default vg,ig)")
        ->group(group);
    command.add_option("--timeline-ig-steps", options.igSteps, "Integrated Gradients' steps in the timeline")
        ->capture_default_str()
        ->group(group);
    command.add_option("--timeline-snapshots", options.snapshots, "About how many log-spaced snapshots (plus each epoch's end)")
        ->capture_default_str()
        ->group(group);
    command.add_option("--timeline-every", options.everySteps, "A snapshot every N steps instead of log spacing (0 = log spacing)")
        ->group(group);
    command.add_option("--timeline-held-out", options.heldOutCount, "Test images for the accuracy over training")
        ->capture_default_str()
        ->group(group);
}

}  // namespace sw::cli
