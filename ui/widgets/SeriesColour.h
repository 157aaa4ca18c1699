#pragma once

#include <QColor>

namespace sw::ui {

/// The colour of the index-th series of a plot: Matplotlib's tab10, distinct for the colour-blind and in print.
QColor seriesColour(int index);

}  // namespace sw::ui
