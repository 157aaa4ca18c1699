#pragma once

#include <QObject>

namespace sw::ui {

/// Spin boxes and combo boxes take the mouse wheel only when they have the keyboard focus. Otherwise a user
/// scrolling a form changes whatever value passes under the pointer (a training seed went from 0 to 6 that
/// way); the wheel goes to the widget behind instead, so the form scrolls as meant. They also stop taking the
/// focus from the wheel. Installed once on the application, for every window.
class WheelGuard : public QObject {
    Q_OBJECT
public:
    /// Installs the guard on the running application (again: nothing more happens).
    static void install();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using QObject::QObject;
};

}  // namespace sw::ui
