#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sw::ui {

/// What `saliency-cli study-import` / `study-report` and the Study tab's buttons do, in one place. Free of
/// Qt and torch types, so the command line can call them; they create an offscreen application when the
/// caller has none (Qt SQL's driver and the plots need one).
struct StudyCommandOutcome {
    bool ok = false;
    std::string message;  ///< one line per file or problem
};

/// Imports browser downloads (.json or .csv) into STUDY/responses.sqlite, each file whole or not at all.
StudyCommandOutcome importBrowserResponses(const std::string& studyFolder, const std::vector<std::string>& files);

/// Analyses the study's responses and writes the report (summary.csv, tests.csv, participants.csv,
/// report.md, report.html and ratings.png/.svg) into `outputDir` (default STUDY/report). Warns, in the
/// message, about stimuli that no longer match the manifest.
StudyCommandOutcome writeStudyReportFolder(const std::string& studyFolder, std::string outputDir = {}, uint64_t seed = 0);

}  // namespace sw::ui
