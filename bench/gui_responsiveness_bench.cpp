// How responsive the workbench stays: the longest event-loop stall (a 5 ms QTimer probe on the GUI
// thread) while the compare grid recomputes, while a model trains and while a stability curve runs, and the
// time from a compare request to its first and last cell. Prints one JSON line per phase.
//
// usage: gui_responsiveness_bench --models A.swm,B.swm,C.swm [--methods vg,ig,…] [--images 20] [--train-steps 300]
//                                 [--curve-images 200]
// --methods sets the compare grid's columns (default: the grid's own default methods); --train-steps 0 and
// --curve-images 0 leave those phases out.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

#include "compare/ComparePanel.h"
#include "shell/MainWindow.h"
#include "compare/OverlayGrid.h"
#include "shell/ModelLibrary.h"
#include "widgets/SignalWait.h"
#include "stability/StabilityPanel.h"
#include "train/TrainPanel.h"

using namespace sw::ui;

namespace {

/// Records the gaps between ticks of a fast timer: a gap much longer than the interval is a stall.
class StallProbe : public QObject {
public:
    explicit StallProbe(int intervalMs) {
        m_timer.setInterval(intervalMs);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double now = double(m_clock.nsecsElapsed()) / 1e6;
            if (m_last >= 0) m_gaps.push_back(now - m_last);
            m_last = now;
        });
    }
    void start() {
        m_gaps.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double longestGapMs() const { return m_gaps.empty() ? 0.0 : *std::max_element(m_gaps.begin(), m_gaps.end()); }
    double percentileGapMs(double q) const {
        if (m_gaps.empty()) return 0.0;
        auto sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        return sorted[size_t(q * double(sorted.size() - 1))];
    }
    size_t ticks() const { return m_gaps.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_last = -1;
    std::vector<double> m_gaps;
};

void report(const QString& phase, const StallProbe& probe, double seconds, QJsonObject extra = {}) {
    extra["phase"] = phase;
    extra["seconds"] = seconds;
    extra["longest_stall_ms"] = probe.longestGapMs();
    extra["p99_gap_ms"] = probe.percentileGapMs(0.99);
    extra["probe_ticks"] = qint64(probe.ticks());
    QTextStream(stdout) << QJsonDocument(extra).toJson(QJsonDocument::Compact) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    QApplication application(argc, argv);
    QApplication::setApplicationName("saliency-workbench-bench");
    QCommandLineParser parser;
    QCommandLineOption modelsOption("models", "Comma-separated model files for the compare grid and curves.", "LIST");
    QCommandLineOption imagesOption("images", "Compare requests to time.", "N", "20");
    QCommandLineOption trainStepsOption("train-steps", "PGD-10 + Gaussian training steps on Fashion-MNIST.", "N", "300");
    QCommandLineOption curveImagesOption("curve-images", "Images per model for the SSIM curve.", "N", "200");
    QCommandLineOption methodsOption("methods", "Comma-separated method ids for the compare grid.", "LIST");
    parser.addOptions({modelsOption, methodsOption, imagesOption, trainStepsOption, curveImagesOption});
    parser.process(application);
    const QStringList models = parser.value(modelsOption).split(',', Qt::SkipEmptyParts);
    if (models.isEmpty()) {
        QTextStream(stderr) << "give --models\n";
        return 2;
    }

    QTemporaryDir workspace;
    MainWindow window(MainWindow::Options{false});
    window.resize(1500, 950);
    window.show();
    window.openWorkspace(workspace.path(), false);
    auto* library = window.library();
    library->setDatasetSpec("fmnist:test");
    for (const auto& model : models) library->addModelFile(model);
    if (!waitForSignal(library, &ModelLibrary::allModelsRead, 1800)) return 1;
    auto* compare = window.comparePanel();
    if (compare->isComputing()) waitForSignal(compare, &ComparePanel::comparisonFinished, 1800);
    if (parser.isSet(methodsOption)) {
        compare->setCheckedMethodIds(parser.value(methodsOption).split(',', Qt::SkipEmptyParts));
        if (compare->isComputing()) waitForSignal(compare, &ComparePanel::comparisonFinished, 1800);
    }

    StallProbe probe(5);
    // Idle baseline: what the probe itself reads when nothing runs.
    probe.start();
    {
        QEventLoop idle;
        QTimer::singleShot(2000, &idle, &QEventLoop::quit);
        idle.exec();
    }
    probe.stop();
    report("idle", probe, 2.0);

    // Compare grid: N images, one after the other.
    std::vector<double> firstCell, allCells;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    const int images = parser.value(imagesOption).toInt();
    for (int i = 1; i <= images; ++i) {
        QElapsedTimer request;
        request.start();
        compare->showDatasetSample(i);
        if (!waitForSignal(compare, &ComparePanel::comparisonFinished, 1800)) return 1;
        firstCell.push_back(compare->lastFirstCellMilliseconds());
        allCells.push_back(double(request.nsecsElapsed()) / 1e6);
    }
    probe.stop();
    std::sort(firstCell.begin(), firstCell.end());
    std::sort(allCells.begin(), allCells.end());
    report("compare", probe, double(clock.nsecsElapsed()) / 1e9,
           QJsonObject{{"grid", QString("%1 models x %2 methods").arg(models.size()).arg(compare->grid()->methodCount())},
                       {"first_cell_median_ms", firstCell[firstCell.size() / 2]},
                       {"first_cell_max_ms", firstCell.back()},
                       {"all_cells_median_ms", allCells[allCells.size() / 2]},
                       {"all_cells_max_ms", allCells.back()}});

    if (const int steps = parser.value(trainStepsOption).toInt(); steps > 0) {
        // Training PGD-10 + Gaussian block, with the live plot redrawing.
        auto* train = window.trainPanel();
        window.tabs()->setCurrentWidget(train);
        train->setDataset("fmnist");
        train->setBudget(1, steps, 0);
        train->setAdversarial(true, 0.1, 10);
        train->setSmoothing(true, "gaussian", "pool1");
        train->setModelName("bench-model");
        probe.start();
        clock.restart();
        train->start();
        if (!waitForSignal(train, &TrainPanel::trainingFinished, 1800)) return 1;
        probe.stop();
        report("training", probe, double(clock.nsecsElapsed()) / 1e9);
    }

    if (const int images = parser.value(curveImagesOption).toInt(); images > 0) {
        // A stability curve, SSIM over the authors' eight noise levels, with the live plot.
        auto* lab = window.stabilityPanel();
        window.tabs()->setCurrentWidget(lab);
        lab->setImageCount(images);
        lab->setMeasure("ssim");
        probe.start();
        clock.restart();
        lab->runCurves();
        if (!waitForSignal(lab, &StabilityPanel::curvesFinished, 1800)) return 1;
        probe.stop();
        report("stability_curve", probe, double(clock.nsecsElapsed()) / 1e9);
    }
    return 0;
}
