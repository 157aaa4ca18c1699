#include "widgets/WheelGuard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QWheelEvent>

namespace sw::ui {

namespace {

bool takesTheWheelOnlyWithFocus(const QObject* object) {
    return qobject_cast<const QAbstractSpinBox*>(object) || qobject_cast<const QComboBox*>(object);
}

}  // namespace

void WheelGuard::install() {
    static WheelGuard* guard = nullptr;
    if (guard || !qApp) return;
    guard = new WheelGuard(qApp);
    qApp->installEventFilter(guard);
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Polish && takesTheWheelOnlyWithFocus(watched)) {
        // Qt's default for combo boxes is WheelFocus: the wheel would give them the focus, then the value.
        auto* widget = static_cast<QWidget*>(watched);
        if (widget->focusPolicy() == Qt::WheelFocus) widget->setFocusPolicy(Qt::StrongFocus);
        return false;
    }
    if (event->type() != QEvent::Wheel || !takesTheWheelOnlyWithFocus(watched)) return false;
    auto* widget = static_cast<QWidget*>(watched);
    if (widget->hasFocus()) return false;
    // Passed to the widget behind, as if the box were not there: a scroll area scrolls.
    if (auto* behind = widget->parentWidget()) {
        auto* wheel = static_cast<QWheelEvent*>(event);
        QWheelEvent forwarded(behind->mapFromGlobal(wheel->globalPosition()), wheel->globalPosition(), wheel->pixelDelta(),
                              wheel->angleDelta(), wheel->buttons(), wheel->modifiers(), wheel->phase(), wheel->inverted(),
                              wheel->source());
        QCoreApplication::sendEvent(behind, &forwarded);
    }
    return true;
}

}  // namespace sw::ui
