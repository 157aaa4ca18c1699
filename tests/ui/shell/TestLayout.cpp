#include <QtTest/QtTest>
#include <QtWidgets>
#include "ui/UiTestSupport.h"

#include "compare/ComparePanel.h"
#include "compare/OverlayGrid.h"
#include "compare/OverlayStyleBar.h"
#include "explain/SaliencyMethods.h"
#include "metrics/EvaluationMeasures.h"
#include "shell/MainWindow.h"
#include "shell/MethodsHelp.h"
#include "shell/ModelLibrary.h"
#include "shell/ModelListPanel.h"
#include "stability/StabilityPanel.h"
#include "stability/StabilityPlot.h"
#include "qcustomplot.h"

using namespace sw::ui;

/// The window as a newcomer and a teacher meet it, on the screen CTest gives it (the offscreen platform
/// with a 1280×720, 1400×900 or 1920×1080 screen): the demo grid fits, nothing widens the window, every
/// panel comes back from the View menu, presentation mode fills the screen with large text, the view is
/// saved with the workspace, and the program explains its methods and measures.
class TestLayout : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_scratch;

    ComparePanel* compare() const { return m_window->comparePanel(); }
    OverlayGrid* grid() const { return compare()->grid(); }
    QRect screen() const { return QGuiApplication::primaryScreen()->geometry(); }

    void waitForGrid() {
        QTRY_VERIFY_WITH_TIMEOUT(!compare()->isComputing() && grid()->modelCount() > 0 &&
                                     grid()->readyCellCount() == grid()->modelCount() * grid()->methodCount(),
                                 test::kEventTimeoutMs);
        test::settleLayout();
    }

    /// The grid's cells, headers and colour bar all show without scrolling.
    bool gridFits() const {
        auto* scroll = grid()->findChild<QScrollArea*>();
        return scroll->horizontalScrollBar()->maximum() == 0 && scroll->verticalScrollBar()->maximum() == 0;
    }

    /// The window's width must not change, and the window must stay on the screen.
    void verifyWidthHolds(int width, const char* when) {
        test::settleLayout();
        QVERIFY2(m_window->width() == width,
                 qPrintable(QString("%1: the window grew from %2 to %3 px").arg(when).arg(width).arg(m_window->width())));
        QVERIFY2(m_window->minimumSizeHint().width() <= screen().width(),
                 qPrintable(QString("%1: the window asks for %2 px").arg(when).arg(m_window->minimumSizeHint().width())));
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        qInfo("screen %dx%d", screen().width(), screen().height());
        // A first start every run: no settings, no demo workspace (and no view saved in it) from the last.
        QSettings().clear();
        QDir(ModelLibrary::demoWorkspaceFolder()).removeRecursively();
        m_window = std::make_unique<MainWindow>(MainWindow::Options{false});
        m_window->resize(std::min(1400, screen().width()), std::min(900, screen().height()));
        m_window->show();
        QCOMPARE(m_window->openDemoWorkspace(false), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->library()->isReading(), test::kEventTimeoutMs);
        compare()->showDatasetSample(0);
        waitForGrid();
    }

    void demoGridFitsTheFirstWindow() {
        // 1400×900 is the first start's size: the whole demo grid shows. On a smaller screen the cells
        // shrink to fit, and only at their minimum does the grid scroll.
        QVERIFY2(gridFits() || grid()->pictureSide() == OverlayGrid::kMinimumPictureSide,
                 qPrintable(QString("picture side %1 px, and the grid scrolls").arg(grid()->pictureSide())));
        if (screen().width() >= 1400 && screen().height() >= 900) QVERIFY(gridFits());
        QVERIFY(grid()->pictureSide() >= OverlayGrid::kMinimumPictureSide);
    }

    void theDemoSaysWhatItShows() {
        auto* note = compare()->findChild<QLabel*>("modelsNote");
        QVERIFY(note && note->isVisible());
        QVERIFY(note->text().contains("not reproduced"));
        QVERIFY(note->width() <= compare()->width());
    }

    void modelCardIsReadable() {
        const QString card = m_window->modelListPanel()->cardText();
        for (const char* part : {"Architecture", "Training", "Smoothing", "Accuracy", "Trained on", "Created"})
            QVERIFY2(card.contains(part), qPrintable(card));
        QVERIFY2(!card.contains('{'), "the card shows raw JSON");
        QVERIFY(card.contains("10000 images"));
    }

    void colourBarHasTicksAndDifferenceHasALegend() {
        auto* legend = grid()->findChild<QLabel*>("differenceLegend");
        QVERIFY(legend && legend->text().contains("A larger") && legend->text().contains("B larger"));
        auto* scale = grid()->findChild<QLabel*>("scaleText");
        QVERIFY(scale && scale->text().contains("Ticks"));
    }

    void transposingKeepsTheDifferenceMarks() {
        grid()->chooseDifference(0, 0, 0);
        grid()->chooseDifference(1, 1, 0);
        compare()->styleBar()->setTransposed(true);
        QCOMPARE(grid()->differenceChoice(0), QPoint(0, 0));
        QCOMPARE(grid()->differenceChoice(1), QPoint(1, 0));
        QVERIFY(grid()->differenceCell()->hasOverlay());
        compare()->styleBar()->setTransposed(false);
        QVERIFY(grid()->differenceCell()->hasOverlay());
    }

    void viewMenuBringsBackEveryPanel() {
        QMenu* view = nullptr;
        for (auto* menu : m_window->menuBar()->findChildren<QMenu*>()) {
            if (menu->title() == "&View") view = menu;
        }
        QVERIFY(view);
        for (const char* name : {"modelsDock", "jobsDock"}) {
            auto* dock = m_window->findChild<QDockWidget*>(name);
            dock->close();
            QVERIFY(!dock->isVisible());
            QAction* toggle = nullptr;
            for (auto* action : view->actions()) {
                if (action == dock->toggleViewAction()) toggle = action;
            }
            QVERIFY2(toggle, name);
            toggle->trigger();
            QVERIFY(dock->isVisible());
        }
    }

    void stabilityExportMenuStaysOnTheScreen() {
        m_window->tabs()->setCurrentWidget(m_window->stabilityPanel());
        QPushButton* button = nullptr;
        for (auto* each : m_window->stabilityPanel()->findChildren<QPushButton*>()) {
            if (each->text() == "Export…") button = each;
        }
        QVERIFY(button && button->menu());
        QRect shown;
        QTimer::singleShot(200, button->menu(), [&] {
            shown = button->menu()->geometry();
            button->menu()->close();
        });
        button->showMenu();
        QVERIFY(!shown.isEmpty());
        QVERIFY2(screen().contains(shown),
                 qPrintable(QString("menu at %1,%2 %3×%4").arg(shown.x()).arg(shown.y()).arg(shown.width()).arg(shown.height())));
        m_window->tabs()->setCurrentWidget(compare());
    }

    void hoveringEveryCellNeverWidensTheWindow() {
        // Six models with long names × all five methods: the worst case the issue saw (4000 px).
        const QString bundled = ModelLibrary::bundledModelsFolder();
        QStringList extra;
        for (const QString& name : {"natural", "adv-eps0.1", "adv-eps0.1-gaussian"}) {
            const QString copy = m_scratch.filePath(QString("a-model-with-a-rather-long-descriptive-name-%1.swm").arg(name));
            QVERIFY(QFile::copy(QDir(bundled).filePath("lenet-" + name + ".swm"), copy));
            extra << copy;
            m_window->library()->addModelFile(copy);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->library()->isReading(), test::kEventTimeoutMs);
        QStringList all;
        for (const auto& method : sw::saliencyMethods()) all << QString::fromStdString(method.id);
        const int width = m_window->width();
        compare()->setCheckedMethodIds(all);
        waitForGrid();
        QCOMPARE(grid()->modelCount(), 6);
        QCOMPARE(grid()->methodCount(), all.size());
        verifyWidthHolds(width, qPrintable(QString("6 models × %1 methods").arg(all.size())));
        auto* probe = compare()->findChild<QLabel*>("pixelProbe");
        for (int m = 0; m < grid()->modelCount(); ++m) {
            for (int k = 0; k < grid()->methodCount(); ++k) {
                auto* cell = const_cast<OverlayCell*>(grid()->cellWidget(m, k));
                QTest::mouseMove(cell, cell->pictureRect().center());
                QMouseEvent move(QEvent::MouseMove, QPointF(cell->pictureRect().center()),
                                 cell->mapToGlobal(QPointF(cell->pictureRect().center())), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
                QApplication::sendEvent(cell, &move);
                QVERIFY(probe->toolTip().contains("pixel ("));
                verifyWidthHolds(width, qPrintable(QString("hovering cell %1,%2").arg(m).arg(k)));
            }
        }
        for (const auto& path : extra) m_window->library()->removeModel(path);
        compare()->setCheckedMethodIds({"vg", "ig", "sg"});
        waitForGrid();
    }

    void camsLookAtTheLayerPickedByName() {
        auto* layers = compare()->findChild<QComboBox*>("camLayer");
        QVERIFY(layers);
        compare()->setCheckedMethodIds({"vg", "ig"});
        waitForGrid();
        QVERIFY2(!layers->isVisible(), "the layer drop-down shows only while a CAM is checked");
        compare()->setCheckedMethodIds({"vg", "gradcam"});
        waitForGrid();
        QVERIFY(layers->isVisible());
        // Every feature layer the models describe (saliency-cli info lists the same), after the default.
        const auto described = m_window->library()->checkedModels().front().description.value("feature_layers").toArray();
        QVERIFY(described.size() >= 2);
        QCOMPARE(layers->itemData(0).toString(), QString());
        for (const auto& layer : described) QVERIFY2(layers->findData(layer.toString()) > 0, qPrintable(layer.toString()));
        // The grid may rebuild its cells: each picture is taken from the cell of the moment.
        const auto camPicture = [this] { return const_cast<OverlayCell*>(grid()->cellWidget(0, 1))->grab().toImage(); };
        const QImage atDefault = camPicture();
        const QString earliest = described.first().toString();
        compare()->setCamLayer(earliest);
        waitForGrid();
        QCOMPARE(compare()->camLayer(), earliest);
        QCOMPARE(layers->currentData().toString(), earliest);
        QVERIFY2(camPicture() != atDefault, "the CAM at the first layer looks the same as at the last");
        // The choice is part of the saved view, and comes back with it.
        const QJsonObject saved = compare()->viewState();
        QCOMPARE(saved.value("cam_layer").toString(), earliest);
        compare()->setCamLayer(QString());
        waitForGrid();
        QCOMPARE(compare()->camLayer(), QString());
        compare()->restoreViewState(saved);
        waitForGrid();
        QCOMPARE(compare()->camLayer(), earliest);
        compare()->setCamLayer(QString());
        compare()->setCheckedMethodIds({"vg", "ig", "sg"});
        waitForGrid();
    }

    void cellsExportAsSeparateImages() {
        QStringList written;
        QCOMPARE(compare()->exportCells(m_scratch.filePath("cells"), 200, &written), QString());
        QCOMPARE(written.size(), grid()->modelCount() * grid()->methodCount());
        for (const auto& path : written) {
            const QImage image(path);
            QVERIFY2(image.width() >= 200 && image.width() == image.height(), qPrintable(path));
        }
    }

    void presentationModeFillsTheScreenWithLargeText() {
        m_window->setPresentationMode(true);
        waitForGrid();
        QVERIFY2(gridFits(), qPrintable(QString("picture side %1").arg(grid()->pictureSide())));
        QVERIFY(m_window->width() <= screen().width());
        const int smallest = screen().height() >= 1080 ? 18 : 16;
        for (auto* widget : m_window->findChildren<QWidget*>()) {
            if (!widget->isVisible() || qobject_cast<QScrollBar*>(widget)) continue;
            const int pixels = QFontInfo(widget->font()).pixelSize();
            QVERIFY2(pixels >= smallest, qPrintable(QString("%1 %2 \"%3\" has %4 px text")
                                                        .arg(widget->metaObject()->className(), widget->objectName(),
                                                             widget->property("text").toString().left(40))
                                                        .arg(pixels)));
        }
        // The plot grows too, and its legend stays inside it.
        m_window->tabs()->setCurrentWidget(m_window->stabilityPanel());
        test::settleLayout();
        // The noise levels show whole, at the presentation font too.
        auto* levels = m_window->stabilityPanel()->findChild<QLineEdit*>("noiseLevels");
        QVERIFY2(levels->width() >= levels->fontMetrics().horizontalAdvance(levels->text()),
                 qPrintable(QString("σ field %1 px for %2 px of text")
                                .arg(levels->width())
                                .arg(levels->fontMetrics().horizontalAdvance(levels->text()))));
        auto* plot = m_window->stabilityPanel()->findChild<QCustomPlot*>("stabilityPlot");
        plot->replot();
        QVERIFY(QFontInfo(plot->xAxis->tickLabelFont()).pixelSize() >= smallest);
        QVERIFY(QFontInfo(plot->xAxis->labelFont()).pixelSize() >= smallest);
        QVERIFY(plot->rect().contains(plot->legend->outerRect()));
        m_window->tabs()->setCurrentWidget(compare());
        m_window->setPresentationMode(false);
    }

    void theViewIsSavedWithTheWorkspace() {
        compare()->setCheckedMethodIds({"vg", "ig"});
        compare()->styleBar()->setColormap("viridis");
        compare()->setNoiseSeed(7);
        compare()->setNoiseSigma(0.1);
        compare()->showDatasetSample(5);
        waitForGrid();
        grid()->chooseDifference(0, 1, 1);
        grid()->chooseDifference(1, 2, 1);
        m_window->tabs()->setCurrentIndex(1);
        const QJsonObject saved = m_window->viewState();

        QCOMPARE(m_window->openWorkspace(m_scratch.filePath("elsewhere"), false), QString());
        m_window->tabs()->setCurrentIndex(0);
        QCOMPARE(m_window->openDemoWorkspace(false), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->library()->isReading(), test::kEventTimeoutMs);
        waitForGrid();
        QCOMPARE(m_window->tabs()->currentIndex(), 1);
        QCOMPARE(compare()->checkedMethodIds(), QStringList({"vg", "ig"}));
        QCOMPARE(compare()->shownIndex(), qint64(5));
        QCOMPARE(compare()->noiseSeed(), 7);
        QCOMPARE(compare()->noiseSigma(), 0.1);
        QCOMPARE(QString::fromStdString(compare()->styleBar()->style().heatmap.colormap), QString("viridis"));
        QCOMPARE(grid()->differenceChoice(0), QPoint(1, 1));
        QCOMPARE(grid()->differenceChoice(1), QPoint(2, 1));
        QCOMPARE(m_window->viewState(), saved);
        m_window->tabs()->setCurrentIndex(0);
    }

    void tooltipsStayShortOrWrap() {
        // A plain-text tooltip is one unbroken line on screen; rich text wraps. Long lines run off the screen.
        constexpr int kLongestLine = 110;
        QStringList tooLong;
        auto check = [&](const QString& where, const QString& tip) {
            if (tip.isEmpty() || Qt::mightBeRichText(tip)) return;
            for (const auto& line : tip.split('\n')) {
                if (line.size() > kLongestLine) tooLong << where + ": " + line;
            }
        };
        for (auto* widget : m_window->findChildren<QWidget*>()) {
            check(widget->metaObject()->className() + QString(" ") + widget->objectName(), widget->toolTip());
            if (auto* combo = qobject_cast<QComboBox*>(widget)) {
                for (int i = 0; i < combo->count(); ++i)
                    check("item " + combo->itemText(i), combo->itemData(i, Qt::ToolTipRole).toString());
            }
        }
        QVERIFY2(tooLong.isEmpty(), qPrintable(tooLong.join('\n')));
    }

    void methodsHelpExplainsEveryMethodAndMeasure() {
        const QString html = methodsAndMeasuresHtml();
        for (const auto& method : sw::saliencyMethods()) {
            QVERIFY(html.contains("method-" + QString::fromStdString(method.id)));
            QVERIFY(html.contains(QString::fromStdString(method.fullName).toHtmlEscaped()));
        }
        // Grouped by family, each with the library it equals and, where it has them, its needs.
        for (const auto& [family, familyName] : sw::saliencyMethodFamilies()) {
            QVERIFY2(html.contains("<h2>" + QString::fromStdString(familyName).toHtmlEscaped() + "</h2>"), familyName.c_str());
        }
        for (const auto& method : sw::saliencyMethods()) {
            QVERIFY2(html.contains(QString::fromStdString(method.reference).toHtmlEscaped()), method.id.c_str());
            if (method.needs)
                QVERIFY2(html.contains(QString::fromStdString(sw::describeModelNeeds(method.needs)).toHtmlEscaped()), method.id.c_str());
        }
        for (const auto& measure : sw::evaluationMeasures()) {
            QVERIFY(html.contains("measure-" + QString::fromStdString(measure.id)));
            QVERIFY(html.contains(QString::fromStdString(measure.explanation).toHtmlEscaped()));
        }
        auto* help = compare()->findChild<QToolButton*>("help-method-vg");
        QVERIFY(help);
        help->click();
        auto* dialog = m_window->findChild<QDialog*>("methodsHelp");
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(screen().contains(dialog->frameGeometry()) || dialog->width() <= screen().width());
        dialog->close();
    }

    void welcomeAppearsAtFirstStartUntilDismissed() {
        m_window.reset();
        QSettings().remove("welcome/showAtStart");
        {
            MainWindow first;
            first.show();
            QTRY_VERIFY_WITH_TIMEOUT(first.findChild<QDialog*>("welcomeDialog") && first.findChild<QDialog*>("welcomeDialog")->isVisible(),
                                     test::kEventTimeoutMs);
            auto* welcome = first.findChild<QDialog*>("welcomeDialog");
            QVERIFY(welcome->width() <= screen().width());
            first.findChild<QCheckBox*>("welcomeShowAtStart")->setChecked(false);
            welcome->accept();
        }
        MainWindow second;
        second.show();
        test::settleLayout();  // the welcome would come from a zero-delay timer after show(): run it, then look
        QVERIFY(!second.findChild<QDialog*>("welcomeDialog"));
    }
};

QTEST_MAIN(TestLayout)
#include "TestLayout.moc"
