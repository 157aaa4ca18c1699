#pragma once

#include <QString>

#include "study/StudyReport.h"

class QCustomPlot;

namespace sw::ui {

/// Draws the ratings of a study's analysis into `plot`: one panel per Likert question, one box per
/// condition (quartiles of all ratings, whiskers to the extremes) with the mean and its 95 % bootstrap
/// interval beside it. The axis runs over the question's scale.
void drawStudyFigure(QCustomPlot& plot, const StudyAnalysis& analysis, const StudySettings& settings);
/// The same, written to `path` (.png, .svg or .pdf); returns an error naming the file, or empty.
QString saveStudyFigure(const StudyAnalysis& analysis, const StudySettings& settings, const QString& path);

}  // namespace sw::ui
