#pragma once

#include <QFile>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace sw::ui {

class MainWindow;

/// What the real-X test tier (tests/ui/x11) reads to know when the program is ready for its next keystroke:
/// one JSON line per event a user would see — the grid finished, presentation mode on or off, a tab shown, a
/// watched value changed, a study opened, a participant's page — with the screen rectangles of the widgets the
/// test points at. Only when SW_UI_PROBE names a file; otherwise nothing is made. The tests drive the program
/// through the X server (keys, clicks, the wheel) and judge it by what the X server shows; this only tells them
/// when to look and where to point.
class UiProbe : public QObject {
    Q_OBJECT
public:
    /// Attaches a probe to `window` when SW_UI_PROBE is set.
    static void attachIfRequested(MainWindow* window);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    UiProbe(MainWindow* window, const QString& path);
    /// Where the grid's pictures are on the screen, and the area they have.
    QJsonObject gridDetails() const;
    void write(const QString& event, QJsonObject details = {});
    /// Screen rectangles [x, y, width, height] of the named widgets that are visible now.
    QJsonObject widgetRectangles() const;
    void watchValues();

    QPointer<MainWindow> m_window;
    QFile m_file;
};

}  // namespace sw::ui
