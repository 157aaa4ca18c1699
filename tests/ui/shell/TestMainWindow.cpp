#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include "compare/ComparePanel.h"
#include "compare/ImageBrowser.h"
#include "shell/JobController.h"
#include "shell/JobsPanel.h"
#include "shell/MainWindow.h"
#include "shell/ModelLibrary.h"
#include "shell/ModelListPanel.h"
#include "compare/OverlayGrid.h"
#include "compare/OverlayStyleBar.h"
#include "stability/StabilityPanel.h"
#include "stability/StabilityPlot.h"
#include "stability/SummaryTable.h"
#include "train/TrainPanel.h"
#include "train/TrainingPlot.h"
#include "io/HeatmapStyle.h"
#include "jobs/TrainJob.h"

using namespace sw::ui;

namespace {

/// Distinct colours and whether any pixel is coloured (not grey): an overlay, not a blank or plain image.
std::pair<int, bool> colourContent(const QImage& image) {
    QSet<QRgb> colours;
    bool coloured = false;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb pixel = image.pixel(x, y);
            colours.insert(pixel);
            coloured = coloured || qRed(pixel) != qGreen(pixel) || qGreen(pixel) != qBlue(pixel);
        }
    }
    return {int(colours.size()), coloured};
}

}  // namespace

/// The workbench as a user drives it: load models, compare, restyle, add noise, train and cancel,
/// plot stability curves, export, and meet a bad file. One window, used in declaration order.
class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_workspace;
    std::unique_ptr<MainWindow> m_window;
    const QString m_dataset = "shapes:64:9:test";

    ComparePanel* compare() const { return m_window->comparePanel(); }
    OverlayGrid* grid() const { return compare()->grid(); }
    int modelCount() const { return m_window->library()->models().size(); }

    void waitForGrid() {
        QTRY_VERIFY_WITH_TIMEOUT(!compare()->isComputing() && grid()->readyCellCount() == grid()->modelCount() * grid()->methodCount(),
                                 test::kEventTimeoutMs);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QDir().mkpath(m_workspace.filePath("models"));
        QCOMPARE(test::trainTinyModel(m_workspace.filePath("models/natural.swm"), false), QString());
        QCOMPARE(test::trainTinyModel(m_workspace.filePath("models/robust-smooth.swm"), true), QString());
        m_window = std::make_unique<MainWindow>(MainWindow::Options{false});
        m_window->resize(1400, 900);
        m_window->show();
        QCOMPARE(m_window->openWorkspace(m_workspace.path(), false), QString());
        m_window->library()->setDatasetSpec(m_dataset);
        m_window->library()->addModelFile(m_workspace.filePath("models/natural.swm"));
        m_window->library()->addModelFile(m_workspace.filePath("models/robust-smooth.swm"));
    }
    void cleanupTestCase() { m_window.reset(); }

    void listsModelsWithBadges() {
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->library()->isReading() && m_window->library()->checkedModels().size() == 2,
                                 test::kEventTimeoutMs);
        const auto models = m_window->library()->checkedModels();
        QCOMPARE(models[0].badge(), QString("natural"));
        QVERIFY2(models[1].badge().contains("fgsm-rs") && models[1].badge().contains("+gaussian@pool1"), qPrintable(models[1].badge()));
        QVERIFY(models[0].testAccuracy().has_value());
        auto* list = m_window->findChild<QListWidget*>("modelList");
        QVERIFY(list);
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(1)->text().contains("+gaussian@pool1"));
    }

    void compareGridRendersNonBlankOverlays() {
        waitForGrid();
        QCOMPARE(grid()->modelCount(), 2);
        QCOMPARE(grid()->methodCount(), 3);  // VG, IG and SmoothGrad by default
        for (int m = 0; m < 2; ++m) {
            for (int k = 0; k < 3; ++k) {
                const auto* cell = grid()->cellWidget(m, k);
                QVERIFY(cell && cell->hasOverlay());
                const auto [colours, coloured] = colourContent(cell->overlay());
                QVERIFY2(colours > 8 && coloured, qPrintable(QString("cell %1,%2 looks blank").arg(m).arg(k)));
                QVERIFY(!grid()->cell(m, k).heatmap.empty());
                QVERIFY(grid()->cell(m, k).gini > 0.0 && grid()->cell(m, k).gini < 1.0);
            }
        }
        QVERIFY(compare()->lastFirstCellMilliseconds() >= 0.0);
    }

    void styleChangesRedrawWithoutRecomputing() {
        waitForGrid();
        const int computed = compare()->computeCount();
        const int rendered = grid()->renderCount();
        const QImage before = grid()->cellWidget(0, 0)->overlay();
        compare()->styleBar()->setColormap("viridis");
        QVERIFY(grid()->renderCount() > rendered);
        QVERIFY(grid()->cellWidget(0, 0)->overlay() != before);
        const QImage viridis = grid()->cellWidget(0, 0)->overlay();
        compare()->styleBar()->setOpacity(0.2);
        QVERIFY(grid()->cellWidget(0, 0)->overlay() != viridis);
        auto* scale = compare()->styleBar()->findChild<QComboBox*>("scaleMode");
        QVERIFY(scale);
        scale->setCurrentIndex(1 - scale->currentIndex());
        QCoreApplication::processEvents();
        QCOMPARE(compare()->computeCount(), computed);
        QVERIFY(!compare()->isComputing());
    }

    void noiseSliderRecomputesEveryCell() {
        waitForGrid();
        const int computed = compare()->computeCount();
        const auto cleanMap = grid()->cell(0, 0).heatmap.clone();
        compare()->setNoiseSigma(0.2);
        QCOMPARE(compare()->computeCount(), computed + 1);
        waitForGrid();
        QTRY_VERIFY_WITH_TIMEOUT(cv::norm(grid()->cell(0, 0).heatmap, cleanMap) > 0.0, test::kEventTimeoutMs);
        compare()->setNoiseSigma(0.0);
        waitForGrid();
    }

    void transposeProbeAndDifference() {
        waitForGrid();
        grid()->setTransposed(true);
        QCoreApplication::processEvents();
        // Transposed: models are columns, so the second model's cell sits to the right of the first's.
        QVERIFY(grid()->cellWidget(1, 0)->mapTo(grid(), QPoint()).x() > grid()->cellWidget(0, 0)->mapTo(grid(), QPoint()).x());
        grid()->setTransposed(false);
        QCoreApplication::processEvents();
        QVERIFY(grid()->cellWidget(1, 0)->mapTo(grid(), QPoint()).y() > grid()->cellWidget(0, 0)->mapTo(grid(), QPoint()).y());

        const QString probe = grid()->probeTextAt(QPointF(0.5, 0.5));
        QVERIFY2(probe.startsWith("pixel (14, 14)") && probe.contains("natural/VG") && probe.contains("robust-smooth/SmoothGrad"),
                 qPrintable(probe));
        const double value = grid()->cell(0, 0).heatmap.at<float>(14, 14);
        QVERIFY2(probe.contains(QString("natural/VG %1").arg(std::abs(value), 0, 'g', 3)), qPrintable(probe));
        // The grid shows |attribution|: so does the probe, for IG (signed by nature) too.
        QVERIFY2(probe.contains("|value|") && !probe.contains(QRegularExpression(" -[0-9]")), qPrintable(probe));

        QVERIFY(!grid()->differenceCell()->hasOverlay());
        grid()->chooseDifference(0, 0, 0);
        grid()->chooseDifference(1, 1, 0);
        QVERIFY(grid()->differenceCell()->hasOverlay());
    }

    void imageBrowserFiltersAndSteps() {
        auto* browser = compare()->browser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->visibleCount(), 64, test::kEventTimeoutMs);
        auto* classFilter = browser->findChild<QComboBox*>("classFilter");
        QVERIFY(classFilter && classFilter->count() > 2);
        classFilter->setCurrentIndex(1);
        QVERIFY(browser->visibleCount() > 0 && browser->visibleCount() < 64);
        classFilter->setCurrentIndex(0);
        auto* misclassified = browser->findChild<QCheckBox*>("misclassifiedOnly");
        QVERIFY(misclassified && misclassified->isEnabled());
        misclassified->setChecked(true);
        QVERIFY(browser->visibleCount() < 64);
        misclassified->setChecked(false);

        const int computed = compare()->computeCount();
        browser->selectIndex(10);
        browser->next();
        QCOMPARE(browser->currentIndex(), qint64(11));
        QCOMPARE(compare()->computeCount(), computed + 2);
        waitForGrid();
    }

    void droppedImageFileIsExplained() {
        waitForGrid();
        const QString path = m_workspace.filePath("dropped.png");
        QImage picture(40, 40, QImage::Format_RGB32);  // resized and centre-cropped to the models' 28×28
        picture.fill(Qt::black);
        for (int y = 10; y < 30; ++y) {
            for (int x = 10; x < 30; ++x) picture.setPixel(x, y, qRgb(230, 230, 230));
        }
        QVERIFY(picture.save(path));
        const int computed = compare()->computeCount();
        compare()->showImageFile(path);
        QCOMPARE(compare()->computeCount(), computed + 1);
        waitForGrid();
        auto* caption = grid()->findChildren<QLabel*>().first();
        QVERIFY2(caption->text().startsWith("dropped.png"), qPrintable(caption->text()));

        compare()->showImageFile(m_workspace.filePath("not-there.png"));  // a bad file: a message, not a crash
        QTRY_VERIFY_WITH_TIMEOUT(!compare()->isComputing(), test::kEventTimeoutMs);
        QVERIFY(m_window->findChild<QLabel*>("compareTiming")->toolTip().contains("not-there.png"));
        compare()->showDatasetSample(0);
        waitForGrid();
    }

    void trainingCanBeCancelled() {
        auto* train = m_window->trainPanel();
        train->setDataset("shapes:4000:5");
        train->setBudget(50, 0, 0);
        train->setAdversarial(true, 0.1, 3);
        train->setSmoothing(false);
        train->setModelName("cancelled-run");
        QSignalSpy finished(train, &TrainPanel::trainingFinished);
        train->start();
        QVERIFY(train->isTraining());
        QTRY_VERIFY_WITH_TIMEOUT(train->plot()->pointCount() > 0, test::kEventTimeoutMs);  // live curves arrive
        QElapsedTimer clock;
        clock.start();
        train->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString("cancel took %1 ms").arg(clock.elapsed())));
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Cancelled));
        QCOMPARE(modelCount(), 2);
        QVERIFY(!train->isTraining());
        // The accuracy it showed was on adversarial examples, and it says so.
        QVERIFY2(train->plot()->accuracyLabel().contains("adversarial"), qPrintable(train->plot()->accuracyLabel()));
    }

    void cancelledTrainingResumesFromTheGui() {
        auto* train = m_window->trainPanel();
        QVERIFY(train->canResume());
        auto* resume = train->findChild<QPushButton*>("resumeButton");
        QVERIFY(resume && resume->isEnabled());
        for (auto* label : train->findChildren<QLabel*>()) QVERIFY2(!label->text().contains("saliency-cli"), qPrintable(label->text()));
        const int pointsBefore = train->plot()->pointCount();
        QSignalSpy finished(train, &TrainPanel::trainingFinished);
        resume->click();
        QVERIFY(train->isTraining());
        QVERIFY(!resume->isEnabled());
        // The curves continue where they stopped, not from step 0.
        QTRY_VERIFY_WITH_TIMEOUT(train->plot()->pointCount() > pointsBefore, test::kEventTimeoutMs);
        train->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Cancelled));
    }

    void fieldsWhereZeroMeansAllSaySo() {
        auto* train = m_window->trainPanel();
        train->setBudget(3, 0, 0);
        int special = 0;
        for (auto* box : train->findChildren<QAbstractSpinBox*>()) {
            if (box->specialValueText().isEmpty()) continue;
            ++special;
            const bool atMinimum = qobject_cast<QSpinBox*>(box) ? qobject_cast<QSpinBox*>(box)->value() == 0
                                                                : qobject_cast<QDoubleSpinBox*>(box)->value() == 0.0;
            if (atMinimum) QCOMPARE(box->text(), box->specialValueText());
        }
        QVERIFY(special >= 4);  // max steps, train images, attack step size, Gaussian σ
    }

    void finishedTrainingJoinsTheModelList() {
        auto* train = m_window->trainPanel();
        train->setDataset("shapes:256:4");
        train->setBudget(1, 20, 0);
        train->setAdversarial(true, 0.1, 3);
        train->setSmoothing(true, "gaussian", "pool1");
        train->setModelName("new-robust-smooth");
        QCOMPARE(QString::fromStdString(train->request().smoothing.at(0).after), QString("pool1"));
        QSignalSpy finished(train, &TrainPanel::trainingFinished);
        train->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Completed));
        const QString path = finished.at(0).at(1).toString();
        QCOMPARE(QFileInfo(path).dir().absolutePath(), QDir(m_workspace.filePath("models")).absolutePath());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->library()->checkedModels().size() == 3, test::kEventTimeoutMs);
        const auto added = m_window->library()->checkedModels().last();
        QVERIFY2(added.badge().contains("adv pgd") && added.badge().contains("+gaussian@pool1"), qPrintable(added.badge()));
        QVERIFY(added.testAccuracy().has_value() && added.robustAccuracy().has_value());
        waitForGrid();
        QCOMPARE(grid()->modelCount(), 3);
    }

    void stabilityCurvesGrowPerModelAndExport() {
        auto* lab = m_window->stabilityPanel();
        lab->setImageCount(24);
        lab->setNoiseLevels("0.05, 0.1");
        lab->setMeasure("ssim");
        lab->setMethod("vg");
        QSignalSpy finished(lab, &StabilityPanel::curvesFinished);
        lab->runCurves();
        lab->runCurves();  // a second click replaces the first run: its rows never reach the new figure
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Completed));
        for (const auto& model : m_window->library()->checkedModels()) {
            QCOMPARE(lab->plot()->pointCount(model.displayName()), 2);
        }
        QCOMPARE(lab->curveRows().size(), 3 * 2);

        const QDir out(m_workspace.filePath("results"));
        QDir().mkpath(out.path());
        QCOMPARE(lab->exportPlot(out.filePath("curves.png")), QString());
        QImage plotImage(out.filePath("curves.png"));
        QVERIFY(!plotImage.isNull() && plotImage.width() > 200);
        QVERIFY(colourContent(plotImage).second);
        QCOMPARE(lab->exportPlot(out.filePath("curves.svg")), QString());
        QFile svg(out.filePath("curves.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
        QCOMPARE(lab->exportPlot(out.filePath("curves.pdf")), QString());
        QFile pdf(out.filePath("curves.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
        QCOMPARE(lab->exportCurvesCsv(out.filePath("curves.csv")), QString());
        QFile csv(out.filePath("curves.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const auto lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6);
        QCOMPARE(lines[0], QString("model,method,measure,sigma,mean,ci_low,ci_high,n"));
        const auto fields = lines[1].split(',');
        QCOMPARE(fields[2], QString("ssim"));
        QVERIFY(fields[5].toDouble() <= fields[4].toDouble() && fields[4].toDouble() <= fields[6].toDouble());
    }

    void summaryTableFillsAndExports() {
        auto* lab = m_window->stabilityPanel();
        lab->setImageCount(16);
        QSignalSpy finished(lab, &StabilityPanel::summaryFinished);
        lab->runSummary();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kTrainingTimeoutMs);
        auto* table = lab->table();
        QCOMPARE(table->rowCount(), 3 * 2);
        for (int row = 0; row < table->rowCount(); ++row) {
            const double accuracy = table->item(row, 4)->data(Qt::DisplayRole).toDouble();
            QVERIFY(accuracy >= 0.0 && accuracy <= 100.0);
            const double gini = table->item(row, 6)->data(Qt::DisplayRole).toDouble();
            QVERIFY(gini > 0.0 && gini < 1.0);
        }
        table->sortItems(6, Qt::DescendingOrder);  // numeric sort by Gini
        QVERIFY(table->item(0, 6)->data(Qt::DisplayRole).toDouble() >= table->item(5, 6)->data(Qt::DisplayRole).toDouble());
        const QString path = m_workspace.filePath("results/summary.csv");
        QCOMPARE(lab->exportTableCsv(path), QString());
        QFile csv(path);
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 6);
        // Plain ASCII column names that any tool reads (the screen's "log₁₀ ROS ↓" is for people).
        QCOMPARE(lines.front(), QString("model,badge,method,images,accuracy_percent,robust_accuracy_percent,gini,log10_ris,log10_ros,"
                                        "aopc_morf,aopc_lerf"));
        table->selectAll();
        table->copySelection();
        QVERIFY(QApplication::clipboard()->text().split('\n').size() == 7);
    }

    void compareFigureExports() {
        waitForGrid();
        const QDir out(m_workspace.filePath("results"));
        QCOMPARE(compare()->exportFigure(out.filePath("grid.png")), QString());
        const QImage figure(out.filePath("grid.png"));
        QVERIFY(!figure.isNull() && figure.width() > 300);
        QVERIFY(colourContent(figure).first > 50);
        QCOMPARE(compare()->exportFigure(out.filePath("grid.svg")), QString());
        QCOMPARE(compare()->exportFigure(out.filePath("grid.pdf")), QString());
        QVERIFY(QFileInfo(out.filePath("grid.pdf")).size() > 1000);
        QVERIFY(compare()->exportFigure(out.filePath("grid.bmp")).contains("unknown figure format"));
        QVERIFY(!QFileInfo::exists(out.filePath("grid.bmp")));
    }

    void badModelFileGetsADialogNotACrash() {
        const QString path = m_workspace.filePath("models/garbage.swm");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a model");
        file.close();
        QSignalSpy rejected(m_window->library(), &ModelLibrary::modelRejected);
        m_window->modelListPanel()->loadModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, test::kEventTimeoutMs);
        QVERIFY(rejected.at(0).at(1).toString().contains("garbage.swm"));
        auto* dialog = m_window->findChild<QMessageBox*>("errorDialog");
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(dialog->text().contains("garbage.swm"));
        dialog->close();
        QCOMPARE(modelCount(), 3);
    }

    void aLaterSuccessClearsTheStatusBarError() {
        auto* error = m_window->findChild<QLabel*>("errorLabel");
        QVERIFY(error && error->text().contains("garbage.swm"));  // left by the bad model file above
        compare()->showDatasetSample(2);
        waitForGrid();
        QTRY_VERIFY_WITH_TIMEOUT(error->text().isEmpty(), test::kEventTimeoutMs);
    }

    void theGuiStartsFromTheCommandLinesColormaps() {
        OverlayStyleBar fresh;  // the compare panel's own bar has been restyled by the tests above
        QCOMPARE(fresh.style().heatmap.colormap, sw::defaultColormap(false));
        fresh.restoreViewState({{"attribution", "signed"}});
        QCOMPARE(fresh.style().heatmap.colormap, sw::defaultColormap(true));
        QVERIFY(sw::defaultColormap(true) == "diverging" && sw::defaultColormap(false) == "inferno");
    }

    void presentationModeEnlargesFontsAndHidesThePanels() {
        const QFont normal = QApplication::font();
        const int normalPixels = QFontInfo(normal).pixelSize();
        auto* modelsDock = m_window->findChild<QDockWidget*>("modelsDock");
        QVERIFY(modelsDock->isVisible());
        m_window->setPresentationMode(true);
        QVERIFY(QFontInfo(QApplication::font()).pixelSize() >= std::max(16, normalPixels * 3 / 2));
        QVERIFY(!modelsDock->isVisible());
        QVERIFY(!compare()->styleBar()->isVisible());
        m_window->setPresentationMode(false);
        QCOMPARE(QApplication::font(), normal);
        QVERIFY(modelsDock->isVisible());
        QVERIFY(compare()->styleBar()->isVisible());
    }

    void computeDeviceIsChosenShownAndRemembered() {
        auto* label = m_window->findChild<QLabel*>("computeDeviceLabel");
        QVERIFY(label != nullptr);
        m_window->setComputeChoice(ComputeChoice{"cpu", false});
        QCOMPARE(m_window->jobs()->computeDevice(), QString("cpu"));
        QVERIFY2(label->text().contains("cpu ("), qPrintable(label->text()));
        QCOMPARE(ComputeChoice::load().device, QString("cpu"));
        QCOMPARE(QString::fromStdString(m_window->trainPanel()->request().device), QString("cpu"));
        QCOMPARE(int(m_window->trainPanel()->request().precision), int(sw::Precision::Float32));
        // Preferences' training precision reaches the training request, and is remembered.
        m_window->setComputeChoice(ComputeChoice{"cpu", false, sw::Precision::TF32});
        QCOMPARE(int(m_window->trainPanel()->request().precision), int(sw::Precision::TF32));
        QCOMPARE(int(ComputeChoice::load().trainingPrecision), int(sw::Precision::TF32));
        {
            ComputePreferencesDialog preferences(ComputeChoice::load());
            QCOMPARE(int(preferences.choice().trainingPrecision), int(sw::Precision::TF32));
        }
        m_window->setComputeChoice(ComputeChoice{"cpu", false});
        ComputePreferencesDialog dialog(ComputeChoice::load());
        auto* devices = dialog.findChild<QComboBox*>("deviceChoice");
        QVERIFY(devices->findData("auto") >= 0 && devices->findData("cpu") >= 0);
        QCOMPARE(dialog.choice().device, QString("cpu"));
        QVERIFY(dialog.findChild<QLabel*>("systemDescription")->text().contains("LibTorch"));
        // A GPU that is not there: every job fails with a message naming the option, none crashes.
        if (devices->findData("cuda:0") < 0) {
            m_window->setComputeChoice(ComputeChoice{"cuda:0", false});
            QVERIFY2(label->text().contains("no GPU"), qPrintable(label->text()));
            auto* train = m_window->trainPanel();
            train->setModelName("needs-a-gpu");
            QSignalSpy finished(train, &TrainPanel::trainingFinished);
            train->start();
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kEventTimeoutMs);
            QCOMPARE(finished.at(0).at(0).toInt(), int(sw::Outcome::Failed));
            QVERIFY(modelCount() == 3);
        }
        m_window->setComputeChoice(ComputeChoice{"auto", false});
    }

    void rememberedAmongRecentWorkspaces() {
        QSettings settings;
        QCOMPARE(settings.value("workspaces/last").toString(), QDir(m_workspace.path()).absolutePath());
        QVERIFY(settings.value("workspaces/recent").toStringList().contains(QDir(m_workspace.path()).absolutePath()));
        Workspace reopened;
        QCOMPARE(reopened.load(m_workspace.path()), QString());
        QCOMPARE(reopened.models().size(), 3);  // the trained model was recorded in the index
        QCOMPARE(reopened.datasetSpec(), m_dataset);
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
