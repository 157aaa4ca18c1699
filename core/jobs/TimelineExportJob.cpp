#include "jobs/TimelineExportJob.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "jobs/TimelineRun.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"
#include "util/ListParsing.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

std::string number(double value) {
    if (std::isnan(value)) return "";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string measuresCsv(const std::vector<TimelineRun>& runs) {
    std::ostringstream csv;
    csv << joinCommaList(timelineCsvColumns()) << '\n';
    for (const auto& run : runs) {
        for (const auto& snapshot : run.index.snapshots) {
            for (const auto& [method, m] : snapshot.measures) {
                csv << csvField(run.name) << ',' << snapshot.step << ',' << snapshot.epoch << ',' << number(snapshot.heldOutAccuracy) << ','
                    << number(snapshot.probeAccuracy(run.index.probeLabels)) << ',' << method << ',' << number(m.gini) << ','
                    << number(m.ris) << ',' << m.risCount << ',' << number(m.ssim) << ',' << m.ssimPairs << ','
                    << number(snapshot.costSeconds) << '\n';
            }
        }
    }
    return csv.str();
}

/// An MP4 through OpenCV's FFmpeg backend: H.264 where it has an encoder (slides play it everywhere), else MPEG-4
/// Part 2. Throws InputError naming the file when neither opens.
void writeAnimation(const fs::path& file, const std::vector<cv::Mat>& frames, double framesPerSecond) {
    cv::VideoWriter writer;
    for (const char* codec : {"avc1", "mp4v"}) {
        const int fourcc = cv::VideoWriter::fourcc(codec[0], codec[1], codec[2], codec[3]);
        if (writer.open(file.string(), cv::CAP_FFMPEG, fourcc, framesPerSecond, frames.front().size())) break;
    }
    if (!writer.isOpened()) {
        throw InputError(file.string(),
                         "OpenCV cannot write MP4 video here (no FFmpeg backend); export the frames instead (--no-animation)");
    }
    for (const auto& frame : frames) writer.write(frame);
    writer.release();
    if (!fs::exists(file) || fs::file_size(file) == 0) throw InputError(file.string(), "the video encoder wrote nothing");
}

}  // namespace

const std::vector<std::string>& timelineCsvColumns() {
    static const std::vector<std::string> columns = {"run", "step",      "epoch", "held_out_accuracy", "probe_accuracy", "method", "gini",
                                                     "ris", "ris_count", "ssim",  "ssim_pairs",        "cost_seconds"};
    return columns;
}

JobResult runTimelineExportJob(const TimelineExportRequest& request, Feedback& feedback) {
    return runGuarded([&] {
        if (request.outputDir.empty()) throw InputError("--out", "a folder to write is required");
        if (!request.frames && !request.animation && !request.csv)
            throw InputError("timeline", "nothing to export: frames, animation and CSV are all off");
        if (!(request.framesPerSecond > 0.0) || request.framesPerSecond > 120.0)
            throw InputError("--fps", "expected 0 to 120 frames per second");
        if (request.cellSide < 16 || request.cellSide > 1024) throw InputError("--cell", "expected 16 to 1024 pixels");
        if (!isKnownColormap(request.style.colormap))
            throw InputError("--colormap " + request.style.colormap, "expected " + joinCommaList(knownColormaps()));
        std::vector<TimelineRun> runs;
        const auto loaded = loadTimelineRuns(request.runs, feedback, &runs);
        if (loaded.outcome != Outcome::Completed) return loaded;
        const auto methods = commonTimelineMethods(runs);
        const std::string method = request.method.empty() && !methods.empty() ? methods.front() : request.method;
        if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
            throw InputError("--method " + method,
                             "not recorded in every run; they share " + (methods.empty() ? std::string("none") : joinCommaList(methods)));
        }
        const auto steps = timelineStepsOf(runs);
        if (steps.empty() && (request.frames || request.animation)) throw InputError(request.runs.front(), "holds no snapshot yet");

        std::vector<cv::Mat> frames;
        if (request.frames || request.animation) {
            for (size_t i = 0; i < steps.size(); ++i) {
                throwIfCancelled(&feedback);
                feedback.setProgress(double(i) / double(steps.size()),
                                     "frame " + std::to_string(i + 1) + " of " + std::to_string(steps.size()));
                frames.push_back(renderTimelineFrame(runs, steps[i], method, request.style, request.cellSide));
            }
        }
        writeFolderAtomically(request.outputDir, [&](const fs::path& folder) {
            if (request.csv) {
                std::ofstream(folder / "measures.csv") << measuresCsv(runs);
            }
            if (request.frames) {
                fs::create_directories(folder / "frames");
                for (size_t i = 0; i < frames.size(); ++i) {
                    char name[48];
                    std::snprintf(name, sizeof name, "step-%08lld.png", static_cast<long long>(steps[i]));
                    if (!cv::imwrite((folder / "frames" / name).string(), frames[i]))
                        throw InputError((folder / "frames" / name).string(), "could not be written");
                }
            }
            if (request.animation) writeAnimation(folder / "timeline.mp4", frames, request.framesPerSecond);
        });
        return JobResult::completed("wrote " + request.outputDir + " (" + std::to_string(runs.size()) + " run(s), " +
                                    std::to_string(steps.size()) + " steps, " + method + ")");
    });
}

}  // namespace sw
