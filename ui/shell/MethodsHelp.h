#pragma once

#include <QString>

class QToolButton;
class QWidget;

namespace sw::ui {

/// Help → "Methods and measures": every saliency method and evaluation measure in plain language, written
/// from the core's own tables (explain/SaliencyMethods.h, metrics/EvaluationMeasures.h), so that the help
/// never disagrees with what is computed. Anchors: "method-ID" and "measure-ID".
QString methodsAndMeasuresHtml();
/// Opens the help window (one per main window, not modal) at `anchor`, or at the top when empty.
void showMethodsHelp(QWidget* near, const QString& anchor = {});
/// A small "?" button that opens the help at its "anchor" property (`anchor` to begin with; a selector may
/// move it to its current choice).
QToolButton* makeHelpButton(const QString& anchor, const QString& toolTip);

/// What the demo models show and what they do not, in two sentences (resources/models/README.md says it
/// at length): the line above the compare grid while the demo workspace is open, and part of the welcome.
QString demoModelsNote();
/// The first-start welcome: what the demo shows and what to try.
QString welcomeHtml();

}  // namespace sw::ui
