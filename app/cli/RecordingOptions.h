#pragma once

#include <CLI/CLI.hpp>

#include "timeline/TimelineOptions.h"

namespace sw::cli {

/// The --timeline flags of `train` and `reproduce`: whether and what to record in the saliency timeline
/// (docs/TIMELINE.md). Lists are parsed as they are given; TimelineOptions::validate() checks the rest.
void addTimelineRecordingOptions(CLI::App& command, TimelineOptions& options);

}  // namespace sw::cli
