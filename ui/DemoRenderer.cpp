#include "DemoRenderer.h"

#include <QDir>
#include <QEventLoop>
#include <QTabWidget>
#include <QTimer>

#include "ComparePanel.h"
#include "FigureExport.h"
#include "ImageBrowser.h"
#include "MainWindow.h"
#include "ModelLibrary.h"
#include "StabilityPanel.h"

namespace sw::ui {

namespace {

/// Runs the event loop until `signal` of `sender` fires or the timeout passes; true when it fired.
/// Only for this batch renderer's top level, never inside a slot (STYLE habit 4).
template <typename Sender, typename Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutSeconds) {
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutSeconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

}  // namespace

QStringList renderDemo(const DemoRenderOptions& options, QString* error) {
    QStringList written;
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return written;
    };
    const QDir out(options.outputFolder);
    if (!QDir().mkpath(out.absolutePath())) return fail(options.outputFolder + ": cannot create the folder");

    MainWindow window(MainWindow::Options{false});
    window.resize(1600, 1000);
    window.show();
    auto* library = window.library();
    const QString openError = window.openDemoWorkspace(false);
    if (!openError.isEmpty()) return fail(openError);
    if (library->isReading() && !waitFor(library, &ModelLibrary::allModelsRead, options.timeoutSeconds)) {
        return fail("the demo models could not be read in time");
    }
    if (library->checkedModels().isEmpty()) return fail("the demo workspace has no readable models");

    auto* compare = window.comparePanel();
    auto save = [&](const QString& name, const QString& problem) {
        if (!problem.isEmpty()) return false;
        written << out.filePath(name);
        return true;
    };
    for (const qint64 index : options.imageIndices) {
        for (const double sigma : {0.0, options.noiseSigma}) {
            compare->setNoiseSigma(sigma);
            compare->showDatasetSample(index);
            if (!waitFor(compare, &ComparePanel::comparisonFinished, options.timeoutSeconds)) {
                return fail(QString("the comparison of image %1 did not finish").arg(index));
            }
            const QString name = sigma > 0 ? QString("compare_%1_noise%2.png").arg(index).arg(sigma, 0, 'f', 2)
                                           : QString("compare_%1.png").arg(index);
            const QString problem = compare->exportFigure(out.filePath(name));
            if (!save(name, problem)) return fail(problem);
        }
    }
    const QString screenshot = out.filePath("window_compare.png");
    if (window.grab().save(screenshot)) written << screenshot;

    auto* stability = window.stabilityPanel();
    window.tabs()->setCurrentWidget(stability);
    stability->setImageCount(options.curveImages);
    stability->setMeasure(options.measure);
    stability->runCurves();
    if (!waitFor(stability, &StabilityPanel::curvesFinished, options.timeoutSeconds)) return fail("the stability curves did not finish");
    for (const QString& name : {QString("stability_%1.png").arg(options.measure), QString("stability_%1.svg").arg(options.measure),
                                QString("stability_%1.pdf").arg(options.measure)}) {
        const QString problem = stability->exportPlot(out.filePath(name));
        if (!save(name, problem)) return fail(problem);
    }
    const QString csvName = QString("stability_%1.csv").arg(options.measure);
    if (const QString problem = stability->exportCurvesCsv(out.filePath(csvName)); !save(csvName, problem)) return fail(problem);
    const QString labScreenshot = out.filePath("window_stability.png");
    if (window.grab().save(labScreenshot)) written << labScreenshot;
    return written;
}

}  // namespace sw::ui
