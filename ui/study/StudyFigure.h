#pragma once

#include <QString>

#include <string>

#include "study/StudyCommands.h"
#include "study/StudyReport.h"

class QCustomPlot;

namespace sw::ui {

/// Draws the ratings of a study's analysis into `plot`: one panel per Likert question, one box per
/// condition (quartiles of all ratings, whiskers to the extremes) with the mean and its 95 % bootstrap
/// interval beside it. The axis runs over the question's scale.
void drawStudyFigure(QCustomPlot& plot, const StudyAnalysis& analysis, const StudySettings& settings);
/// The same, written to `path` (.png, .svg or .pdf); returns an error naming the file, or empty.
QString saveStudyFigure(const StudyAnalysis& analysis, const StudySettings& settings, const QString& path);
/// The report's ratings figure (kRatingsFigureStem .png and .svg) in `reportFolder`; one line per figure not
/// written, or empty.
std::string saveStudyRatingsFigures(const StudyAnalysis& analysis, const StudySettings& settings, const std::string& reportFolder);
/// The StudyFigureDrawer of a program that links the widgets (the GUI, the figure helper): it draws in-process.
StudyFigureDrawer inProcessStudyFigure();

}  // namespace sw::ui
