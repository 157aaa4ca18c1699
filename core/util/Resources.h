#pragma once

#include <string>

namespace sw {

/// The folder holding the bundled data (demo models in models/, the Fashion-MNIST subset in
/// fashion-mnist-subset/), looked for in this order:
///   1. $SW_RESOURCES_DIR;
///   2. ../share/saliency-workbench next to the running program (an installed or unpacked package, wherever
///      it was put: the .tar.gz is relocatable);
///   3. resources/ in the source tree the program was built from (running from a build folder).
/// Returns the first that holds `entry` (a file or folder name inside it), or "" when none does.
/// Torch- and Qt-free: both front ends use it.
std::string findResource(const std::string& entry);

/// A helper program of the workbench (e.g. saliency-figures), looked for next to the running program (a build
/// folder) and then in ../libexec/saliency-workbench (an installed or unpacked package). "" when neither has it.
std::string findHelperProgram(const std::string& name);

}  // namespace sw
