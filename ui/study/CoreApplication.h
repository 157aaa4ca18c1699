#pragma once

#include <QCoreApplication>

#include <memory>

namespace sw::ui {

/// Qt SQL's driver plugins need an application object; the command line has none. Returns the application it
/// created, to keep alive while the database is open, or nothing when the caller already has one (the GUI's).
/// A QCoreApplication, not a QApplication: the study store links no widgets.
inline std::unique_ptr<QCoreApplication> ensureCoreApplication() {
    if (QCoreApplication::instance()) return nullptr;
    static int argc = 1;
    static char name[] = "saliency-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QCoreApplication>(argc, argv);
}

}  // namespace sw::ui
