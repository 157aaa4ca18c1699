// saliency-workbench: the GUI face of the core. With --render-demo DIR it renders the demo comparison and
// stability figures offscreen instead (for machines without a display).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

#include <cstdio>

#include "shell/DemoRenderer.h"
#include "shell/MainWindow.h"
#include "timeline/TimelinePanel.h"
#include "study/StudyPanel.h"
#include "shell/ModelLibrary.h"

int main(int argc, char** argv) {
    // Rendering the demo needs no display: choose the offscreen platform before Qt looks for one.
    for (int i = 1; i < argc; ++i) {
        if (QByteArray(argv[i]).startsWith("--render-demo") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
    }
    QApplication application(argc, argv);
    QApplication::setOrganizationName("SaliencyWorkbench");
    QApplication::setApplicationName("saliency-workbench");
    QApplication::setApplicationVersion(SW_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Compare gradient saliency maps of natural, adversarial and smoothed classifiers.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption renderDemo("render-demo", "Render the demo comparison and stability figures into DIR and exit.", "DIR");
    QCommandLineOption curveImages("curve-images", "Images per model for the demo stability curves (default 100).", "N", "100");
    QCommandLineOption workspace("workspace", "Open this workspace folder.", "DIR");
    parser.addOption(renderDemo);
    parser.addOption(curveImages);
    parser.addOption(workspace);
    QCommandLineOption report("report", "Open a folder written by saliency-cli reproduce.", "DIR");
    parser.addOption(report);
    QCommandLineOption tour("tour", "Walk through the demo (compare, stability lab, training) and save screenshots into DIR.", "DIR");
    parser.addOption(tour);
    QCommandLineOption presentationTour("tour-presentation",
                                        "Show the demo in presentation mode on this screen and save screenshots into DIR.", "DIR");
    parser.addOption(presentationTour);
    QCommandLineOption studyTour("tour-study",
                                 "Build a study from the demo models (or use STUDY), run two participants and write the report, "
                                 "saving screenshots into DIR.",
                                 "DIR");
    parser.addOption(studyTour);
    QCommandLineOption study("study", "Open this study folder in the Study tab (with --tour-study: the study to use).", "STUDY");
    parser.addOption(study);
    QCommandLineOption timeline("timeline", "Open this recorded run (MODEL.swm or MODEL.timeline) in the Timeline tab; repeat for more.",
                                "RUN");
    parser.addOption(timeline);
    parser.process(application);

    QTextStream out(stdout);
    if (parser.isSet(renderDemo)) {
        sw::ui::DemoRenderOptions options;
        options.outputFolder = QDir(parser.value(renderDemo)).absolutePath();
        options.curveImages = parser.value(curveImages).toInt();
        out << "demo models: " << sw::ui::ModelLibrary::bundledModelsFolder() << "\n";
        QString error;
        const auto written = sw::ui::renderDemo(options, &error);
        for (const auto& file : written) out << "wrote " << file << "\n";
        if (!error.isEmpty()) {
            QTextStream(stderr) << "saliency-workbench: " << error << "\n";
            return 1;
        }
        out << "The demo figures are in " << options.outputFolder << "\n";
        return 0;
    }

    if (parser.isSet(studyTour)) {
        QString error;
        const QString folder = QDir(parser.value(studyTour)).absolutePath();
        const QString studyFolder = parser.isSet(study) ? QDir(parser.value(study)).absolutePath() : folder + "/study";
        const auto written = sw::ui::renderStudyTour(folder, studyFolder, &error);
        for (const auto& file : written) out << "wrote " << file << "\n";
        if (!error.isEmpty()) {
            QTextStream(stderr) << "saliency-workbench: " << error << "\n";
            return 1;
        }
        return 0;
    }

    if (parser.isSet(tour) || parser.isSet(presentationTour)) {
        QString error;
        const auto written = parser.isSet(tour)
                                 ? sw::ui::renderTour(QDir(parser.value(tour)).absolutePath(), &error)
                                 : sw::ui::renderPresentationTour(QDir(parser.value(presentationTour)).absolutePath(), &error);
        for (const auto& file : written) out << "wrote " << file << "\n";
        if (!error.isEmpty()) {
            QTextStream(stderr) << "saliency-workbench: " << error << "\n";
            return 1;
        }
        return 0;
    }

    // A workspace or report named on the command line replaces the one the last session left open.
    const bool explicitFolder = parser.isSet(workspace) || parser.isSet(report);
    sw::ui::MainWindow window(sw::ui::MainWindow::Options{!explicitFolder});
    if (parser.isSet(workspace)) window.openWorkspace(parser.value(workspace));
    if (parser.isSet(report)) window.openReport(parser.value(report));
    window.show();
    if (parser.isSet(study)) {
        window.tabs()->setCurrentWidget(window.studyPanel());
        if (const QString problem = window.studyPanel()->openStudy(parser.value(study)); !problem.isEmpty())
            QTextStream(stderr) << "saliency-workbench: " << problem << "\n";
    }
    if (parser.isSet(timeline)) {
        window.tabs()->setCurrentWidget(window.timelinePanel());
        window.timelinePanel()->openRuns(parser.values(timeline));
    }
    return application.exec();
}
