#pragma once

#include <QEventLoop>
#include <QObject>
#include <QTimer>

namespace sw::ui {

/// Runs a local event loop until `signal` of `sender` fires or `timeoutSeconds` pass; true when it fired.
/// For top-level drivers without a user (the offscreen demo, benchmarks), never inside a slot:
/// a nested event loop there would run other slots, and jobs' results, in the middle of this one.
template <typename Sender, typename Signal>
bool waitForSignal(Sender* sender, Signal signal, int timeoutSeconds) {
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutSeconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

}  // namespace sw::ui
