#pragma once

#include <string>
#include <vector>

#include "io/HeatmapStyle.h"
#include "jobs/JobEdge.h"

namespace sw {

/// `saliency-cli timeline` and the Timeline view's Export: a recorded timeline as files for slides and analysis.
struct TimelineExportRequest {
    std::vector<std::string> runs;  ///< MODEL.timeline folders or the model files beside them
    std::string method;             ///< the method whose maps the frames show; empty = the first one recorded
    std::string outputDir;
    bool frames = true;     ///< frames/step-NNNNNNNN.png, one per step of any run
    bool animation = true;  ///< timeline.mp4 (H.264 where OpenCV's FFmpeg has it, else MPEG-4 Part 2)
    bool csv = true;        ///< measures.csv: one row per run, snapshot and method
    double framesPerSecond = 4.0;
    HeatmapStyle style;
    int cellSide = 96;  ///< pixels per probe image in the frames
};

/// Writes what the request asks for into outputDir, all together or nothing (a failed export leaves no half-written
/// folder). Every option is checked before any work. Cancellable between frames.
JobResult runTimelineExportJob(const TimelineExportRequest& request, Feedback& feedback);

/// The columns of measures.csv, in order (docs/TIMELINE.md).
const std::vector<std::string>& timelineCsvColumns();

}  // namespace sw
