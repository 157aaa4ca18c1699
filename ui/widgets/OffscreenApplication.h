#pragma once

#include <QApplication>

#include <memory>

namespace sw::ui {

/// The command line has no QApplication; widgets (the plots that draw report figures) and Qt SQL's driver
/// plugins need one, and no display is needed to draw into files. Returns the application it created, to
/// keep alive while drawing, or nothing when the caller already has one.
inline std::unique_ptr<QApplication> ensureOffscreenApplication() {
    if (QCoreApplication::instance()) return nullptr;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "saliency-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

}  // namespace sw::ui
