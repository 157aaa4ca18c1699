#include "jobs/TimelineExportJob.h"

namespace sw {

const std::vector<std::string>& timelineCsvColumns() {
    static const std::vector<std::string> columns;
    return columns;
}

JobResult runTimelineExportJob(const TimelineExportRequest&, Feedback&) {
    return JobResult::failed("timeline: this build has no OpenCV, so it cannot read or draw timelines; build with OpenCV");
}

}  // namespace sw
