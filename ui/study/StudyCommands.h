#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "study/StudyReport.h"

namespace sw::ui {

/// What `saliency-cli study-import` / `study-report` and the Study tab's buttons do, in one place. Free of
/// Qt and torch types and linked without the widgets (Qt Core and Qt SQL only), so the command line can call
/// them; they create an application object when the caller has none (Qt SQL's driver needs one).
struct StudyCommandOutcome {
    bool ok = false;
    std::string message;  ///< one line per file or problem
};

/// Imports browser downloads (.json or .csv) into STUDY/responses.sqlite, each file whole or not at all.
StudyCommandOutcome importBrowserResponses(const std::string& studyFolder, const std::vector<std::string>& files);

/// The analysis of a study folder's responses (its key, its stored responses, bootstrap resamples from `seed`):
/// the report's numbers and its figure's. Throws std::runtime_error naming the folder when there are no
/// responses yet.
StudyAnalysis analyzeStudyFolder(const std::string& studyFolder, uint64_t seed);

/// The file name of the report's ratings figure inside the report folder (also drawn as .svg).
inline constexpr const char* kRatingsFigureStem = "ratings";

/// Draws the ratings figure (kRatingsFigureStem .png and .svg) of a study's analysis into a report folder; returns
/// one line per figure not written, or empty. The GUI draws in its own process; the command line, which links no
/// widgets, has the figure helper program draw it.
using StudyFigureDrawer = std::function<std::string(const std::string& studyFolder, const StudyAnalysis& analysis,
                                                    const StudySettings& settings, const std::string& reportFolder, uint64_t seed)>;

/// Analyses the study's responses and writes the report (summary.csv, tests.csv, participants.csv,
/// report.md, report.html and, through `drawFigure`, ratings.png/.svg) into `outputDir` (default STUDY/report).
/// Warns, in the message, about stimuli that no longer match the manifest.
StudyCommandOutcome writeStudyReportFolder(const std::string& studyFolder, const StudyFigureDrawer& drawFigure, std::string outputDir = {},
                                           uint64_t seed = 0);

}  // namespace sw::ui
