#include "shell/UiProbe.h"

#include <QAbstractSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>

#include "compare/ComparePanel.h"
#include "compare/OverlayCell.h"
#include "compare/OverlayGrid.h"
#include "shell/MainWindow.h"
#include "study/ParticipantView.h"
#include "study/StudyPanel.h"

namespace sw::ui {

namespace {

QJsonArray screenRect(const QWidget* widget) {
    const QPoint topLeft = widget->mapToGlobal(QPoint(0, 0));
    return {topLeft.x(), topLeft.y(), widget->width(), widget->height()};
}

/// The widgets the tests point at, by object name.
constexpr const char* kNamedWidgets[] = {"exportButton",      "methodPicker", "noiseSlider",   "trainSeed",
                                         "resumeParticipant", "resumeOffer",  "runParticipant"};

}  // namespace

void UiProbe::attachIfRequested(MainWindow* window) {
    const QString path = qEnvironmentVariable("SW_UI_PROBE");
    if (!path.isEmpty()) new UiProbe(window, path);
}

UiProbe::UiProbe(MainWindow* window, const QString& path) : QObject(window), m_window(window), m_file(path) {
    m_file.open(QIODevice::Append | QIODevice::Text);
    auto* compare = window->comparePanel();
    connect(compare, &ComparePanel::comparisonFinished, this, [this] { write("grid-ready", gridDetails()); });
    // The grid refits its cells when its size changes (under X that follows the server's word, not our call):
    // reported once the fit is done.
    compare->grid()->installEventFilter(this);
    connect(window, &MainWindow::presentationModeChanged, this, [this] { write("presentation", gridDetails()); });
    window->installEventFilter(this);
    connect(window->tabs(), &QTabWidget::currentChanged, this, [this](int index) {
        write("tab", {{"name", m_window->tabs()->tabText(index).remove('&')}});
    });
    connect(window->studyPanel(), &StudyPanel::participantSessionStarted, this, [this](ParticipantView* view) {
        connect(view, &ParticipantView::pageShown, this, [this](const QString& page, int trial) {
            write("participant-page", {{"page", page}, {"trial", trial}});
        });
        // The first page may be up already (the session starts on it): once the screen is shown, say which.
        QTimer::singleShot(0, view, [this, view] { write("participant-page", {{"page", view->page()}, {"trial", view->currentTrial()}}); });
    });
    watchValues();
    // Once the window is up (the first turn of the event loop): which tab, which widgets, where.
    QTimer::singleShot(0, this, [this] { write("started"); });
}

QJsonObject UiProbe::gridDetails() const {
    const auto* grid = m_window->comparePanel()->grid();
    QJsonArray cells;
    for (int m = 0; m < grid->modelCount(); ++m) {
        for (int k = 0; k < grid->methodCount(); ++k) {
            if (const auto* cell = grid->cellWidget(m, k); cell && cell->isVisible()) {
                const QRect picture = cell->pictureRect();
                const QPoint topLeft = cell->mapToGlobal(picture.topLeft());
                cells.append(QJsonArray{topLeft.x(), topLeft.y(), picture.width(), picture.height()});
            }
        }
    }
    return {{"cells", cells},
            {"area", screenRect(grid->picturesArea())},
            {"picture_side", grid->pictureSide()},
            {"ready", grid->readyCellCount()}};
}

bool UiProbe::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize) {
        const bool isGrid = watched == m_window->comparePanel()->grid();
        QTimer::singleShot(0, this,
                           [this, isGrid] { write(isGrid ? "grid-layout" : "window-resized", isGrid ? gridDetails() : QJsonObject{}); });
    }
    return false;
}

void UiProbe::watchValues() {
    // A value that changes is an event a user sees: the wheel test asserts that none comes without focus.
    for (auto* box : m_window->findChildren<QSpinBox*>("trainSeed")) {
        connect(box, &QSpinBox::valueChanged, this, [this](int value) { write("value", {{"widget", "trainSeed"}, {"value", value}}); });
    }
}

QJsonObject UiProbe::widgetRectangles() const {
    QJsonObject rectangles;
    for (const char* name : kNamedWidgets) {
        for (auto* widget : m_window->findChildren<QWidget*>(name)) {
            if (widget->isVisible()) rectangles.insert(name, screenRect(widget));
        }
    }
    return rectangles;
}

void UiProbe::write(const QString& event, QJsonObject details) {
    if (!m_window || !m_file.isOpen()) return;
    details.insert("event", event);
    details.insert("window", screenRect(m_window));
    details.insert("presentation", m_window->isPresentationMode());
    details.insert("tab", m_window->tabs()->tabText(m_window->tabs()->currentIndex()).remove('&'));
    details.insert("widgets", widgetRectangles());
    m_file.write(QJsonDocument(details).toJson(QJsonDocument::Compact) + "\n");
    m_file.flush();
}

}  // namespace sw::ui
