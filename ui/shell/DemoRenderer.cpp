#include "shell/DemoRenderer.h"

#include <QDialog>
#include <QDir>
#include <QEventLoop>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>

#include "compare/ComparePanel.h"
#include "compare/GeometryExplorer.h"
#include "stability/GeometryScatter.h"
#include "shell/ComputePreferences.h"
#include "widgets/FigureExport.h"
#include "compare/ImageBrowser.h"
#include "shell/MainWindow.h"
#include "shell/MethodsHelp.h"
#include "shell/ModelLibrary.h"
#include "widgets/SignalWait.h"
#include "stability/StabilityPanel.h"
#include "study/NewStudyDialog.h"
#include "study/ParticipantView.h"
#include "study/ResponseStore.h"
#include "study/StudyPanel.h"
#include "train/TrainPanel.h"
#include "train/TrainingPlot.h"

namespace sw::ui {

namespace {

/// Where a renderer writes, what it wrote, and why it stopped if it did: every renderer returns the files
/// written so far and sets `error` on failure.
class RenderOutput {
public:
    RenderOutput(const QString& folder, QString* error) : m_folder(folder), m_error(error) {}
    /// Creates the folder; false (with the error set) when it cannot.
    bool ready() {
        if (QDir().mkpath(m_folder.absolutePath())) return true;
        fail(m_folder.path() + ": cannot create the folder");
        return false;
    }
    QString path(const QString& name) const { return m_folder.filePath(name); }
    void wrote(const QString& path) { m_written << path; }
    QStringList fail(const QString& message) {
        if (m_error) *m_error = message;
        return m_written;
    }
    const QStringList& written() const { return m_written; }

private:
    QDir m_folder;
    QString* m_error;
    QStringList m_written;
};

/// Opens the demo workspace in `window` and waits until its models are read. Returns an error or empty.
QString openDemoAndWait(MainWindow& window, int timeoutSeconds) {
    if (const QString error = window.openDemoWorkspace(false); !error.isEmpty()) return error;
    auto* library = window.library();
    if (library->isReading() && !waitForSignal(library, &ModelLibrary::allModelsRead, timeoutSeconds))
        return QStringLiteral("the demo models could not be read in time");
    return {};
}

}  // namespace

QStringList renderDemo(const DemoRenderOptions& options, QString* error) {
    RenderOutput out(options.outputFolder, error);
    if (!out.ready()) return out.written();

    MainWindow window(MainWindow::Options{false});
    window.resize(1600, 1000);
    window.show();
    auto* library = window.library();
    if (const QString openError = openDemoAndWait(window, options.timeoutSeconds); !openError.isEmpty()) return out.fail(openError);
    if (library->checkedModels().isEmpty()) return out.fail("the demo workspace has no readable models");

    auto* compare = window.comparePanel();
    auto save = [&](const QString& name, const QString& problem) {
        if (!problem.isEmpty()) return false;
        out.wrote(out.path(name));
        return true;
    };
    for (const qint64 index : options.imageIndices) {
        for (const double sigma : {0.0, options.noiseSigma}) {
            compare->setNoiseSigma(sigma);
            compare->showDatasetSample(index);
            if (!waitForSignal(compare, &ComparePanel::comparisonFinished, options.timeoutSeconds)) {
                return out.fail(QString("the comparison of image %1 did not finish").arg(index));
            }
            const QString name =
                sigma > 0 ? QString("compare_%1_noise%2.png").arg(index).arg(sigma, 0, 'f', 2) : QString("compare_%1.png").arg(index);
            const QString problem = compare->exportFigure(out.path(name));
            if (!save(name, problem)) return out.fail(problem);
        }
    }
    const QString screenshot = out.path("window_compare.png");
    if (window.grab().save(screenshot)) out.wrote(screenshot);

    auto* stability = window.stabilityPanel();
    window.tabs()->setCurrentWidget(stability);
    stability->setImageCount(options.curveImages);
    stability->setMeasure(options.measure);
    stability->runCurves();
    if (!waitForSignal(stability, &StabilityPanel::curvesFinished, options.timeoutSeconds))
        return out.fail("the stability curves did not finish");
    for (const QString& name : {QString("stability_%1.png").arg(options.measure), QString("stability_%1.svg").arg(options.measure),
                                QString("stability_%1.pdf").arg(options.measure)}) {
        const QString problem = stability->exportPlot(out.path(name));
        if (!save(name, problem)) return out.fail(problem);
    }
    const QString csvName = QString("stability_%1.csv").arg(options.measure);
    if (const QString problem = stability->exportCurvesCsv(out.path(csvName)); !save(csvName, problem)) return out.fail(problem);
    const QString labScreenshot = out.path("window_stability.png");
    if (window.grab().save(labScreenshot)) out.wrote(labScreenshot);
    return out.written();
}

namespace {

/// Lets queued results and timer-driven redraws land before a screenshot.
void settle(int milliseconds) {
    QEventLoop loop;
    QTimer::singleShot(milliseconds, &loop, &QEventLoop::quit);
    loop.exec();
}

/// The whole screen, dialogs included (a window grab shows only the window); offscreen, the window.
bool screenshotOfScreen(QWidget& window, const QString& path) {
    settle(600);
    QPixmap picture;
    if (QGuiApplication::platformName() == "xcb") picture = QGuiApplication::primaryScreen()->grabWindow(0);
    if (picture.isNull()) picture = window.grab();
    return picture.save(path);
}

/// A key as the participant presses it (the participant's screen handles its own keys).
void pressKey(QWidget* widget, Qt::Key key) {
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, key >= Qt::Key_0 && key <= Qt::Key_9 ? QString(QChar(key)) : QString());
    QCoreApplication::sendEvent(widget, &press);
    QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier);
    QCoreApplication::sendEvent(widget, &release);
}

bool screenshot(QWidget& window, const QString& path) {
    settle(600);
    // On a display server this is a real screenshot of the screen; offscreen, the window draws itself.
    QPixmap picture;
    if (QGuiApplication::platformName() == "xcb") picture = QGuiApplication::primaryScreen()->grabWindow(window.winId());
    if (picture.isNull()) picture = window.grab();
    return picture.save(path);
}

}  // namespace

QStringList renderTour(const QString& outputFolder, QString* error) {
    RenderOutput out(outputFolder, error);
    if (!out.ready()) return out.written();
    auto shoot = [&](QWidget& window, const QString& name) {
        if (screenshot(window, out.path(name))) out.wrote(out.path(name));
    };
    constexpr int kTimeoutSeconds = 1200;

    MainWindow window(MainWindow::Options{false});
    window.resize(1400, 900);  // the first start's size
    window.move(0, 0);
    window.show();
    auto* library = window.library();
    if (const QString openError = openDemoAndWait(window, kTimeoutSeconds); !openError.isEmpty()) return out.fail(openError);

    auto* compare = window.comparePanel();
    compare->showDatasetSample(0);
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the comparison did not finish");
    window.showWelcome();
    if (screenshotOfScreen(window, out.path("first-start.png"))) out.wrote(out.path("first-start.png"));
    if (auto* welcome = window.findChild<QDialog*>("welcomeDialog")) welcome->accept();
    showMethodsHelp(&window, "measure-ros");
    if (auto* help = window.findChild<QDialog*>("methodsHelp")) {
        shoot(*help, "methods-help.png");
        help->close();
    }
    shoot(window, "compare.png");
    {
        ComputePreferencesDialog preferences(ComputeChoice::load(), &window);
        preferences.show();
        shoot(preferences, "preferences.png");
    }
    compare->setNoiseSigma(0.15);
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the noisy comparison did not finish");
    shoot(window, "compare-noise.png");
    compare->setNoiseSigma(0.0);
    // The three demo models across the gradient and CAM families (docs/GUI.md, "Methods side by side").
    const QStringList shownMethods = compare->checkedMethodIds();
    // Five columns need a full-HD window to show without scrolling.
    window.resize(1900, 1000);
    compare->setCheckedMethodIds({"vg", "ig", "gradcam", "gradcampp", "layercam"});
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the CAM comparison did not finish");
    shoot(window, "compare-families.png");
    window.resize(1400, 900);
    compare->setCheckedMethodIds(shownMethods);
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the comparison did not finish");

    auto* stability = window.stabilityPanel();
    window.tabs()->setCurrentWidget(stability);
    stability->setImageCount(200);
    stability->runCurves();
    if (!waitForSignal(stability, &StabilityPanel::curvesFinished, kTimeoutSeconds)) return out.fail("the curves did not finish");
    stability->setImageCount(100);
    stability->runSummary();
    if (!waitForSignal(stability, &StabilityPanel::summaryFinished, kTimeoutSeconds)) return out.fail("the summary did not finish");
    shoot(window, "stability.png");

    auto* train = window.trainPanel();
    window.tabs()->setCurrentWidget(train);
    train->setDataset("fmnist");
    train->setBudget(1, 600, 0);
    train->setAdversarial(true, 0.1, 10);
    train->setSmoothing(true, "gaussian", "pool1");
    train->setModelName("tour-adv-eps0.1-gaussian");
    train->start();
    QEventLoop untilHalfway;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &untilHalfway, [&] {
        if (train->plot()->pointCount() >= 6 || !train->isTraining()) untilHalfway.quit();
    });
    poll.start(200);
    untilHalfway.exec();
    shoot(window, "train.png");
    if (train->isTraining() && !waitForSignal(train, &TrainPanel::trainingFinished, kTimeoutSeconds))
        return out.fail("training did not finish");
    if (library->isReading() && !waitForSignal(library, &ModelLibrary::allModelsRead, kTimeoutSeconds))
        return out.fail("the new model could not be read");

    window.tabs()->setCurrentWidget(compare);
    compare->showDatasetSample(1);
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the final comparison did not finish");
    shoot(window, "compare-with-new-model.png");
    return out.written();
}

QStringList renderPresentationTour(const QString& outputFolder, QString* error) {
    RenderOutput out(outputFolder, error);
    if (!out.ready()) return out.written();
    constexpr int kTimeoutSeconds = 1200;
    const QSize screen = QGuiApplication::primaryScreen()->geometry().size();
    const QString size = QString("%1x%2").arg(screen.width()).arg(screen.height());

    MainWindow window(MainWindow::Options{false});
    window.show();
    if (const QString openError = openDemoAndWait(window, kTimeoutSeconds); !openError.isEmpty()) return out.fail(openError);
    auto* compare = window.comparePanel();
    compare->showDatasetSample(0);
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the comparison did not finish");
    // The geometry explorer on this screen: the three models along the PGD direction, VG's maps.
    if (auto* explorer = compare->openExplorer(0)) {
        waitForSignal(explorer, &GeometryExplorer::sliceFinished, kTimeoutSeconds);
        explorer->setDirection("pgd");
        explorer->run();
        if (!waitForSignal(explorer, &GeometryExplorer::sliceFinished, kTimeoutSeconds)) return out.fail("the slice did not finish");
        explorer->setCursorPoint(int(explorer->slices().front().steps.size()) * 3 / 4);
        const QString name = "geometry-explorer-" + size + ".png";
        if (screenshot(*explorer, out.path(name))) out.wrote(out.path(name));
        explorer->close();
    }
    // Curvature against RIS across 200 images, the stability lab's figure of the same argument.
    {
        auto* stability = window.stabilityPanel();
        stability->setImageCount(200);
        stability->runCurvatureScatter();
        if (!waitForSignal(stability, &StabilityPanel::curvatureScatterFinished, kTimeoutSeconds))
            return out.fail("the curvature scatter did not finish");
        const QString name = "curvature-vs-ris-" + size + ".png";
        if (auto* scatter = stability->curvatureScatter()) {
            if (screenshot(*scatter, out.path(name))) out.wrote(out.path(name));
            scatter->close();
        }
    }
    window.setPresentationMode(true);
    compare->setNoiseSigma(0.1);
    compare->showDatasetSample(0);
    if (!waitForSignal(compare, &ComparePanel::comparisonFinished, kTimeoutSeconds)) return out.fail("the comparison did not finish");
    if (screenshot(window, out.path("presentation-" + size + ".png"))) out.wrote(out.path("presentation-" + size + ".png"));

    auto* stability = window.stabilityPanel();
    window.tabs()->setCurrentWidget(stability);
    stability->setImageCount(100);
    stability->runCurves();
    if (!waitForSignal(stability, &StabilityPanel::curvesFinished, kTimeoutSeconds)) return out.fail("the curves did not finish");
    const QString name = "presentation-stability-" + size + ".png";
    if (screenshot(window, out.path(name))) out.wrote(out.path(name));
    window.setPresentationMode(false);
    return out.written();
}

QStringList renderStudyTour(const QString& outputFolder, const QString& studyFolder, QString* error) {
    RenderOutput out(outputFolder, error);
    if (!out.ready()) return out.written();
    constexpr int kTimeoutSeconds = 1200;
    const QSize screen = QGuiApplication::primaryScreen()->geometry().size();
    const QString size = QString("%1x%2").arg(screen.width()).arg(screen.height());
    auto shootScreen = [&](QWidget& window, const QString& name) {
        if (screenshotOfScreen(window, out.path(name))) out.wrote(out.path(name));
    };

    MainWindow window(MainWindow::Options{false});
    window.resize(std::min(1400, screen.width()), std::min(900, screen.height()));
    window.move(0, 0);
    window.show();
    if (const QString openError = openDemoAndWait(window, kTimeoutSeconds); !openError.isEmpty()) return out.fail(openError);
    auto* panel = window.studyPanel();
    window.tabs()->setCurrentWidget(panel);

    // File → New study, as the experimenter fills it in: the three demo models with VG.
    if (!QFileInfo::exists(studyFolder + "/study.json")) {
        NewStudyDialog dialog(window.library()->models(), window.library()->workspace().datasetSpec(), window.jobs(), &window);
        dialog.setOutputFolder(studyFolder);
        dialog.show();
        shootScreen(window, "study-new-" + size + ".png");
        auto request = dialog.request();
        dialog.close();
        request.imageCount = 6;
        request.participants = 6;
        request.attentionEvery = 6;
        request.study.breakEvery = 12;
        Feedback feedback;
        const auto built = runStimuliJob(request, feedback);
        if (built.outcome != Outcome::Completed) return out.fail(QString::fromStdString(built.message));
    }
    if (const QString problem = panel->openStudy(studyFolder); !problem.isEmpty()) return out.fail(problem);

    // Two participants at this screen, each answering every trial with the keyboard; screenshots of the first.
    for (const QString participant : {"P001", "P002"}) {
        const auto known = panel->store()->participant(participant);
        if (known && known->finished()) continue;
        if (const QString problem = panel->runParticipant(participant); !problem.isEmpty()) return out.fail(problem);
        auto* view = panel->participantView();
        const bool first = participant == "P001";
        if (first) shootScreen(*view, "study-consent-" + size + ".png");
        pressKey(view, Qt::Key_Return);
        if (first) shootScreen(*view, "study-instructions-" + size + ".png");
        pressKey(view, Qt::Key_Return);
        int answered = 0;
        while (view->page() == "trial" || view->page() == "break") {
            if (view->page() == "break") {
                if (first && !QFileInfo::exists(out.path("study-break-" + size + ".png")))
                    shootScreen(*view, "study-break-" + size + ".png");
                pressKey(view, Qt::Key_Return);
                continue;
            }
            const auto& trial =
                panel->study()->orders[size_t(panel->store()->participant(participant)->order)][size_t(view->currentTrial())];
            // Simulated answers: attention checks as asked, otherwise the adversarial conditions a little higher.
            const int answer = trial.attentionCheck ? kAttentionCheckAnswer : 2 + (answered * 7 + int(participant.back().digitValue())) % 5;
            pressKey(view, Qt::Key(Qt::Key_0 + answer));
            if (first && answered == 1) shootScreen(*view, "study-trial-" + size + ".png");
            pressKey(view, Qt::Key(Qt::Key_0 + (trial.attentionCheck ? answer : std::min(7, answer + 1))));
            pressKey(view, Qt::Key_Return);
            ++answered;
        }
        if (first) shootScreen(*view, "study-done-" + size + ".png");
        view->endSession();
        settle(200);
    }
    if (const QString problem = panel->writeReport(); !problem.isEmpty()) return out.fail(problem);
    shootScreen(window, "study-tab-" + size + ".png");
    return out.written();
}

}  // namespace sw::ui
