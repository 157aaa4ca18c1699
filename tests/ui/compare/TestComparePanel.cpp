#include "ui/shell/TwoModelWindow.h"

#include "compare/ImageBrowser.h"
#include "compare/OverlayStyleBar.h"
#include "io/HeatmapStyle.h"

using namespace sw::ui;

/// The compare grid as a user drives it: overlays for every model and method, restyling without recomputing,
/// noise, transposing, probing, the image browser, a dropped file and the figure export.
class TestComparePanel : public test::TwoModelWindow {
    Q_OBJECT
private slots:
    void initTestCase() { QCOMPARE(open(), QString()); }
    void cleanupTestCase() { close(); }

    void compareGridRendersNonBlankOverlays() {
        waitForGrid();
        QCOMPARE(grid()->modelCount(), 2);
        QCOMPARE(grid()->methodCount(), 3);  // VG, IG and SmoothGrad by default
        for (int m = 0; m < 2; ++m) {
            for (int k = 0; k < 3; ++k) {
                const auto* cell = grid()->cellWidget(m, k);
                QVERIFY(cell && cell->hasOverlay());
                const auto [colours, coloured] = test::colourContent(cell->overlay());
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
        const QString path = workspaceFile("dropped.png");
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

        compare()->showImageFile(workspaceFile("not-there.png"));  // a bad file: a message, not a crash
        QTRY_VERIFY_WITH_TIMEOUT(!compare()->isComputing(), test::kEventTimeoutMs);
        QVERIFY(window()->findChild<QLabel*>("compareTiming")->toolTip().contains("not-there.png"));
        compare()->showDatasetSample(0);
        waitForGrid();
    }

    void compareFigureExports() {
        waitForGrid();
        const QDir out(workspaceFile("results"));
        QDir().mkpath(out.path());
        QCOMPARE(compare()->exportFigure(out.filePath("grid.png")), QString());
        const QImage figure(out.filePath("grid.png"));
        QVERIFY(!figure.isNull() && figure.width() > 300);
        QVERIFY(test::colourContent(figure).first > 50);
        QCOMPARE(compare()->exportFigure(out.filePath("grid.svg")), QString());
        QCOMPARE(compare()->exportFigure(out.filePath("grid.pdf")), QString());
        QVERIFY(QFileInfo(out.filePath("grid.pdf")).size() > 1000);
        QVERIFY(compare()->exportFigure(out.filePath("grid.bmp")).contains("unknown figure format"));
        QVERIFY(!QFileInfo::exists(out.filePath("grid.bmp")));
    }

    void theGuiStartsFromTheCommandLinesColormaps() {
        OverlayStyleBar fresh;  // the compare panel's own bar has been restyled by the tests above
        QCOMPARE(fresh.style().heatmap.colormap, sw::defaultColormap(false));
        fresh.restoreViewState({{"attribution", "signed"}});
        QCOMPARE(fresh.style().heatmap.colormap, sw::defaultColormap(true));
        QVERIFY(sw::defaultColormap(true) == "diverging" && sw::defaultColormap(false) == "inferno");
    }
};

QTEST_MAIN(TestComparePanel)
#include "TestComparePanel.moc"
