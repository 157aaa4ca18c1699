#include "jobs/TimelineRun.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include <opencv2/imgproc.hpp>

#include "data/ImageConversion.h"
#include "explain/SaliencyMethods.h"
#include "io/NpyFile.h"
#include "io/OverlayRenderer.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

/// A map file's P×H×W float32 stack as one CV_32F matrix per probe; InputError naming the file when it does not fit.
std::vector<cv::Mat> readMapStack(const fs::path& file, const TimelineIndex& index) {
    if (!fs::exists(file)) throw InputError(file.string(), "is missing: timeline.json lists this snapshot, but its maps are gone");
    const auto stack = readNpy(file).to(torch::kFloat32).contiguous();
    const auto probes = int64_t(index.probeIndices.size());
    if (stack.dim() != 3 || stack.size(0) != probes || stack.size(1) != index.mapHeight || stack.size(2) != index.mapWidth) {
        throw InputError(file.string(), "is damaged: expected " + std::to_string(probes) + " maps of " + std::to_string(index.mapHeight) +
                                            "×" + std::to_string(index.mapWidth));
    }
    std::vector<cv::Mat> maps;
    for (int64_t i = 0; i < probes; ++i) {
        maps.push_back(cv::Mat(int(index.mapHeight), int(index.mapWidth), CV_32F, stack[i].data_ptr<float>()).clone());
    }
    return maps;
}

TimelineRun loadRun(const std::string& folderOrModel) {
    const auto folder = TimelineFolder::ofRun(folderOrModel);
    TimelineRun run;
    run.name = folder.runName();
    run.folder = folder.root().string();
    run.index = folder.readIndex();
    const auto probes = readNpy(folder.probesFile()).to(torch::kFloat32);
    if (probes.dim() != 4 || probes.size(0) != int64_t(run.index.probeIndices.size())) {
        throw InputError(folder.probesFile().string(), "is damaged: it does not hold the index's probe images");
    }
    for (int64_t i = 0; i < probes.size(0); ++i) run.probeImages.push_back(tensorToMat(probes[i]));
    for (const auto& snapshot : run.index.snapshots) {
        std::map<std::string, std::vector<cv::Mat>> maps;
        for (const auto& method : run.index.options.methods) maps[method] = readMapStack(folder.mapsFile(snapshot.step, method), run.index);
        run.maps.push_back(std::move(maps));
    }
    return run;
}

}  // namespace

const std::vector<cv::Mat>& TimelineRun::mapsAt(int64_t step, const std::string& method) const {
    static const std::vector<cv::Mat> none;
    const auto snapshot = index.snapshotAtOrBefore(step);
    if (snapshot < 0) return none;
    const auto found = maps[size_t(snapshot)].find(method);
    return found == maps[size_t(snapshot)].end() ? none : found->second;
}

JobResult loadTimelineRuns(const std::vector<std::string>& foldersOrModels, Feedback& feedback, std::vector<TimelineRun>* runs) {
    return runGuarded([&] {
        if (foldersOrModels.empty()) throw InputError("timeline", "name at least one recorded run (a MODEL.timeline folder or MODEL.swm)");
        std::vector<TimelineRun> loaded;
        for (size_t i = 0; i < foldersOrModels.size(); ++i) {
            throwIfCancelled(&feedback);
            feedback.setProgress(double(i) / double(foldersOrModels.size()), "reading " + foldersOrModels[i]);
            loaded.push_back(loadRun(foldersOrModels[i]));
        }
        std::set<std::string> names;
        for (auto& run : loaded) {
            // Two runs of one name (seed folders' natural.timeline) get their folder's name in front.
            if (!names.insert(run.name).second) run.name = fs::path(run.folder).parent_path().filename().string() + "/" + run.name;
        }
        if (runs) *runs = std::move(loaded);
        return JobResult::completed(std::to_string(foldersOrModels.size()) + " timeline(s) read");
    });
}

TimelineRun timelineRunOf(const TimelineUpdate& update, const std::string& name) {
    TimelineRun run;
    run.name = name;
    run.index = update.index;
    const auto& index = update.index;
    const int64_t probes = int64_t(index.probeIndices.size());
    if (probes == 0 || update.probeChannels <= 0) return run;
    const auto probeShape = std::vector<int64_t>{probes, update.probeChannels, index.mapHeight, index.mapWidth};
    const auto pixels = torch::from_blob(const_cast<float*>(update.probePixels.data()), probeShape, torch::kFloat32).clone();
    for (int64_t i = 0; i < probes; ++i) run.probeImages.push_back(tensorToMat(pixels[i]));
    run.maps.resize(index.snapshots.size());
    if (run.maps.empty()) return run;
    const size_t mapSize = size_t(index.mapHeight * index.mapWidth);
    for (const auto& [method, values] : update.maps) {
        if (values.size() != mapSize * size_t(probes)) continue;
        auto& maps = run.maps.back()[method];
        for (int64_t i = 0; i < probes; ++i) {
            maps.push_back(
                cv::Mat(int(index.mapHeight), int(index.mapWidth), CV_32F, const_cast<float*>(values.data() + size_t(i) * mapSize))
                    .clone());
        }
    }
    return run;
}

std::vector<int64_t> timelineStepsOf(const std::vector<TimelineRun>& runs) {
    std::set<int64_t> steps;
    for (const auto& run : runs) {
        for (const auto& snapshot : run.index.snapshots) steps.insert(snapshot.step);
    }
    return {steps.begin(), steps.end()};
}

std::vector<std::string> commonTimelineMethods(const std::vector<TimelineRun>& runs) {
    std::vector<std::string> common;
    if (runs.empty()) return common;
    for (const auto& method : runs.front().index.options.methods) {
        const bool everywhere = std::all_of(runs.begin(), runs.end(), [&](const TimelineRun& run) {
            const auto& methods = run.index.options.methods;
            return std::find(methods.begin(), methods.end(), method) != methods.end();
        });
        if (everywhere) common.push_back(method);
    }
    return common;
}

cv::Mat renderTimelineFrame(const std::vector<TimelineRun>& runs, int64_t step, const std::string& method, const HeatmapStyle& style,
                            int cellSide) {
    constexpr int kLabelWidth = 200, kHeaderHeight = 34, kGap = 2;
    size_t columns = 0;
    for (const auto& run : runs) columns = std::max(columns, run.probeImages.size());
    int width = kLabelWidth + int(columns) * (cellSide + kGap);
    int height = kHeaderHeight + int(runs.size()) * (cellSide + kGap);
    width += width % 2;
    height += height % 2;
    cv::Mat frame(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
    const auto font = cv::FONT_HERSHEY_SIMPLEX;
    const cv::Scalar ink(20, 20, 20);
    cv::putText(frame, "step " + std::to_string(step) + "   " + saliencyMethod(method).name, {8, 24}, font, 0.65, ink, 1, cv::LINE_AA);
    for (size_t row = 0; row < runs.size(); ++row) {
        const auto& run = runs[row];
        const int top = kHeaderHeight + int(row) * (cellSide + kGap);
        cv::putText(frame, run.name.substr(0, 24), {6, top + cellSide / 2 - 4}, font, 0.5, ink, 1, cv::LINE_AA);
        const auto snapshot = run.index.snapshotAtOrBefore(step);
        if (snapshot >= 0) {
            char accuracy[48];
            std::snprintf(accuracy, sizeof accuracy, "acc %.1f %%", 100.0 * run.index.snapshots[size_t(snapshot)].heldOutAccuracy);
            cv::putText(frame, accuracy, {6, top + cellSide / 2 + 16}, font, 0.45, cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
        }
        const auto& maps = run.mapsAt(step, method);
        for (size_t column = 0; column < maps.size() && column < run.probeImages.size(); ++column) {
            cv::Mat cell;
            cv::resize(renderOverlay(run.probeImages[column], maps[column], style, cellSide), cell, {cellSide, cellSide}, 0, 0,
                       cv::INTER_NEAREST);
            cell.copyTo(frame(cv::Rect(kLabelWidth + int(column) * (cellSide + kGap), top, cellSide, cellSide)));
        }
    }
    return frame;
}

}  // namespace sw
