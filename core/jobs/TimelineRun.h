#pragma once

#include <map>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "io/HeatmapStyle.h"
#include "jobs/JobEdge.h"
#include "timeline/TimelineFolder.h"

namespace sw {

/// One recorded saliency timeline as the Timeline view and the exports show it (docs/TIMELINE.md): the index,
/// the probe images and every snapshot's maps, in OpenCV types (no torch), loaded once so scrubbing is instant.
struct TimelineRun {
    std::string name;    ///< the model's stem: "adv" for adv.timeline
    std::string folder;  ///< the MODEL.timeline folder
    TimelineIndex index;
    std::vector<cv::Mat> probeImages;  ///< per probe: 8-bit grey or BGR, H×W
    /// maps[snapshot][method]: one CV_32F H×W heatmap per probe.
    std::vector<std::map<std::string, std::vector<cv::Mat>>> maps;

    /// The maps of `method` at the snapshot at or last before `step` (empty when the run has none).
    const std::vector<cv::Mat>& mapsAt(int64_t step, const std::string& method) const;
};

/// Reads the runs' timelines (each a MODEL.timeline folder, or a model file whose timeline is beside it). Throws
/// nothing: a missing or damaged folder or map file comes back as Failed, naming the file and the problem.
JobResult loadTimelineRuns(const std::vector<std::string>& foldersOrModels, Feedback& feedback, std::vector<TimelineRun>* runs);

/// The run a live view shows while it trains: `update`'s index and probes, with the newest snapshot's maps (earlier
/// snapshots have none loaded).
TimelineRun timelineRunOf(const TimelineUpdate& update, const std::string& name);

/// Every step at which any of the runs has a snapshot, ascending: the positions of the scrubber and the frames.
std::vector<int64_t> timelineStepsOf(const std::vector<TimelineRun>& runs);

/// The methods every run recorded, in the first run's order.
std::vector<std::string> commonTimelineMethods(const std::vector<TimelineRun>& runs);

/// One frame for slides: a row per run (its name and the step's held-out accuracy on the left), a column per probe
/// (the map of `method` at `step` over the probe image), the step on top. BGR 8-bit, even width and height (video
/// encoders need them). Each map is scaled by itself, as the compare grid does by default.
cv::Mat renderTimelineFrame(const std::vector<TimelineRun>& runs, int64_t step, const std::string& method, const HeatmapStyle& style,
                            int cellSide = 96);

}  // namespace sw
