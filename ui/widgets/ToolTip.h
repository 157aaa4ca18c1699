#pragma once

#include <QString>

namespace sw::ui {

/// A tooltip Qt wraps to a readable width: plain-text tooltips are one unbroken line, which for a long
/// explanation runs off the screen; rich text wraps. Line breaks in `text` are kept.
inline QString wrappedToolTip(const QString& text) { return "<p>" + text.toHtmlEscaped().replace("\n", "<br>") + "</p>"; }

}  // namespace sw::ui
