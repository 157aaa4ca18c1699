#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include "compare/ComparePanel.h"
#include "compare/GeometryExplorer.h"
#include "compare/OverlayGrid.h"
#include "shell/MainWindow.h"
#include "shell/ModelLibrary.h"
#include "stability/GeometryScatter.h"
#include "stability/StabilityPanel.h"
#include "qcustomplot.h"

using namespace sw::ui;

/// The local-geometry explorer as a user reaches it: from a compare cell's context menu, around the grid's image.
class TestGeometryExplorer : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_workspace;
    std::unique_ptr<MainWindow> m_window;
    ComparePanel* compare() const { return m_window->comparePanel(); }
    OverlayGrid* grid() const { return compare()->grid(); }

    GeometryExplorer* explorerFromTheContextMenu(int modelIndex, int methodIndex) {
        Q_EMIT grid()->exploreRequested(modelIndex, methodIndex);  // what the menu's action emits
        auto explorers = compare()->findChildren<GeometryExplorer*>();
        return explorers.isEmpty() ? nullptr : explorers.back();
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QDir().mkpath(m_workspace.filePath("models"));
        QCOMPARE(test::trainTinyModel(m_workspace.filePath("models/natural.swm"), false), QString());
        QCOMPARE(test::trainTinyModel(m_workspace.filePath("models/robust.swm"), true), QString());
        m_window = std::make_unique<MainWindow>(MainWindow::Options{false});
        m_window->resize(1200, 700);
        m_window->show();
        QCOMPARE(m_window->openWorkspace(m_workspace.path(), false), QString());
        m_window->library()->setDatasetSpec("shapes:64:9:test");
        m_window->library()->addModelFile(m_workspace.filePath("models/natural.swm"));
        m_window->library()->addModelFile(m_workspace.filePath("models/robust.swm"));
        QTRY_VERIFY_WITH_TIMEOUT(!compare()->isComputing() && grid()->modelCount() == 2 &&
                                     grid()->readyCellCount() == grid()->modelCount() * grid()->methodCount(),
                                 test::kEventTimeoutMs);
    }
    void cleanupTestCase() { m_window.reset(); }

    void slicesEveryModelOfTheGridAndAgreesWithItAtTheImage() {
        auto* explorer = explorerFromTheContextMenu(1, 0);  // the VG column
        QVERIFY(explorer);
        QSignalSpy finished(explorer, &GeometryExplorer::sliceFinished);
        QVERIFY(finished.wait(test::kEventTimeoutMs));
        QVERIFY2(explorer->statusText().isEmpty(), qPrintable(explorer->statusText()));
        QCOMPARE(explorer->slices().size(), 2);
        QCOMPARE(explorer->plot()->graphCount(), 2);
        QCOMPARE(explorer->plot()->graph(0)->dataCount(), 101);
        QCOMPARE(explorer->geometryTable()->rowCount(), 2);
        QVERIFY(!explorer->geometryTable()->item(1, 1)->text().isEmpty());
        // At t = 0 the slice's map is the grid's VG cell, for both models.
        for (int m = 0; m < 2; ++m) {
            const auto& slice = explorer->slices()[m];
            QCOMPARE(explorer->cursorPoint(), int(slice.centre()));
            const cv::Mat centre(int(slice.mapHeight), int(slice.mapWidth), CV_32F,
                                 const_cast<float*>(slice.maps.data() + slice.centre() * size_t(slice.mapHeight * slice.mapWidth)));
            const auto& cell = grid()->cell(m, 0).heatmap;
            QVERIFY2(cv::norm(cell, centre, cv::NORM_INF) <= 1e-5 * (1.0 + cv::norm(cell, cv::NORM_INF)), qPrintable(QString::number(m)));
            QCOMPARE(qint64(slice.predictions[slice.centre()]), grid()->cell(m, 0).prediction);
        }
        // Moving the cursor shows the maps there; the measure changes the plot, not the slice.
        const QImage atImage = explorer->shownMap(0);
        QVERIFY(!atImage.isNull());
        explorer->setCursorPoint(0);
        QVERIFY(explorer->shownMap(0) != atImage);
        explorer->setMeasure("curvature");
        QCOMPARE(explorer->plot()->graph(0)->dataCount(), 99);  // undefined at both ends
        // It fits the screen it opened on.
        QVERIFY(explorer->screen()->availableGeometry().contains(QRect(explorer->pos(), explorer->size())) ||
                explorer->size().width() <= explorer->screen()->availableGeometry().width());
        QVERIFY(explorer->minimumSizeHint().width() <= 1280 && explorer->minimumSizeHint().height() <= 720 - 60);
        explorer->close();
    }

    void aDirectionThatNamesNoLineSaysSo() {
        auto* explorer = compare()->openExplorer(0);
        QVERIFY(explorer);
        QSignalSpy first(explorer, &GeometryExplorer::sliceFinished);
        QVERIFY(first.wait(test::kEventTimeoutMs));
        explorer->setDirection(QString("image:%1").arg(compare()->shownIndex()));  // toward the image itself
        QSignalSpy finished(explorer, &GeometryExplorer::sliceFinished);
        explorer->run();
        QVERIFY(finished.wait(test::kEventTimeoutMs));
        QVERIFY2(explorer->statusText().contains("the direction is zero"), qPrintable(explorer->statusText()));
        QVERIFY(explorer->slices().isEmpty());
        explorer->setDirection("pgd");
        explorer->setRadius(0.05);
        explorer->setPoints(21);
        explorer->run();
        QVERIFY(finished.wait(test::kEventTimeoutMs));
        QCOMPARE(explorer->slices().size(), 2);
        QCOMPARE(int(explorer->slices()[0].steps.size()), 21);
        QCOMPARE(explorer->slices()[0].steps.back(), 0.05);
        explorer->close();
    }

    void theStabilityLabScattersCurvatureAgainstRisAndExploresAPoint() {
        auto* lab = m_window->stabilityPanel();
        lab->setImageCount(24);
        QSignalSpy finished(lab, &StabilityPanel::curvatureScatterFinished);
        lab->runCurvatureScatter();
        QVERIFY(finished.wait(test::kEventTimeoutMs));
        QCOMPARE(finished.front().front().toInt(), int(sw::Outcome::Completed));
        auto* scatter = lab->curvatureScatter();
        QVERIFY(scatter && scatter->isVisible());
        QCOMPARE(scatter->modelCount(), 2);
        QCOMPARE(scatter->plot()->graphCount(), 2);
        QVERIFY2(scatter->plot()->graph(0)->name().contains("ρ = "), qPrintable(scatter->plot()->graph(0)->name()));
        QVERIFY(scatter->plot()->graph(0)->dataCount() > 0);
        QCOMPARE(scatter->plot()->graph(0)->dataCount(), scatter->imageIndices(0).size());
        // Points left to right: the curvature never decreases.
        const auto data = scatter->plot()->graph(0)->data();
        for (int i = 1; i < data->size(); ++i) QVERIFY(data->at(i)->key >= data->at(i - 1)->key);
        // A point opens the explorer around its image, for the checked models.
        const qint64 index = scatter->imageIndices(0).back();
        Q_EMIT scatter->imageChosen(index);
        auto explorers = lab->findChildren<GeometryExplorer*>();
        QCOMPARE(explorers.size(), 1);
        QSignalSpy sliced(explorers.front(), &GeometryExplorer::sliceFinished);
        QVERIFY(sliced.wait(test::kEventTimeoutMs));
        QVERIFY2(explorers.front()->statusText().isEmpty(), qPrintable(explorers.front()->statusText()));
        QCOMPARE(explorers.front()->slices().size(), 2);
        QVERIFY(!explorers.front()->shownMap(1).isNull());
        QVERIFY(explorers.front()->windowTitle().contains(QString("#%1").arg(index)));
        explorers.front()->close();
        QTemporaryDir folder;
        QCOMPARE(scatter->exportFigure(folder.filePath("scatter.svg")), QString());
        QVERIFY(QFileInfo(folder.filePath("scatter.svg")).size() > 1000);
        scatter->close();
    }
};

QTEST_MAIN(TestGeometryExplorer)
#include "TestGeometryExplorer.moc"
