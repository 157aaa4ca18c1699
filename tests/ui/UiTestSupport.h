#pragma once

#include <QCoreApplication>
#include <QEvent>

namespace sw::ui::test {

/// How long a widget test waits for an event (a job finishing, a model loading, a dialog appearing). QTRY_*
/// returns as soon as the condition holds, so only a failing test waits this long; a minute covers a loaded
/// 2-core CI machine, where work that takes 100 ms when idle can take several seconds.
constexpr int kEventTimeoutMs = 60000;
/// How long a test waits for a small training run to end (seconds when idle: a few hundred LeNet steps, or two
/// local processes starting up); five minutes cover a loaded machine, and again only a failing test waits it out.
constexpr int kTrainingTimeoutMs = 300000;

/// Lets posted work run until the widgets are laid out: layout requests, resizes and zero-delay timers, which
/// may post more of the same, in a fixed number of rounds. Not a delay: it never waits for time to pass.
inline void settleLayout() {
    for (int round = 0; round < 20; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
}

}  // namespace sw::ui::test
