#pragma once

#include <QString>
#include <QStringList>

namespace sw::ui {

/// What `saliency-workbench --render-demo DIR` does without a display: opens the demo workspace in an
/// offscreen main window, renders the comparison grid (clean and noisy) and the stability curves with the
/// GUI's own drawing code, and saves the figures, the curve CSV and screenshots of each tab into DIR.
struct DemoRenderOptions {
    QString outputFolder;
    QList<qint64> imageIndices = {0, 1};
    double noiseSigma = 0.1;
    int curveImages = 100;
    QString measure = "ssim";
    int timeoutSeconds = 900;
};

/// Returns the files written; on failure `error` says why (and what was written so far is listed).
QStringList renderDemo(const DemoRenderOptions& options, QString* error);

/// The new user's walk through the demo, with a screenshot at each stop (for docs/ and for looking at what
/// we built): the compare view clean and noisy, the stability lab with curves and the summary table, the
/// train panel while an adversarial + Gaussian model trains, and the compare view with that model added.
/// Under a real display server (Xvfb) the screenshots are grabbed from the screen.
/// It starts as a first start does: the welcome over the demo (first-start.png), then Help → Methods and
/// measures (methods-help.png).
QStringList renderTour(const QString& outputFolder, QString* error);
/// Presentation mode on the whole screen, the compare grid and the stability curves, saved as
/// presentation-WxH.png and presentation-stability-WxH.png for the screen's size (run it under Xvfb at
/// 1280×720 and 1920×1080).
QStringList renderPresentationTour(const QString& outputFolder, QString* error);

/// The human-study walk-through (docs/STUDY.md) on this screen: File → New study with the three demo models
/// (built into `studyFolder` unless it holds a study already), two participants answering at the keyboard
/// (consent, instructions, a trial, a break, the end, as study-*-WxH.png), then the report in the Study tab.
QStringList renderStudyTour(const QString& outputFolder, const QString& studyFolder, QString* error);

}  // namespace sw::ui
