// Compiled instead of the OpenCV-based image code in a build without OpenCV (a CLI/test build on a machine
// that has only a compiler, CMake and PyTorch, as scripts/gpu-check.sh makes). Everything else works.
#include "data/ImageFile.h"
#include "data/ShapesGenerator.h"
#include "util/InputError.h"

namespace sw {

namespace {
constexpr const char* kNoOpenCv =
    "this build of the workbench has no OpenCV (image files, PNG overlays and the shapes set "
    "need it); rebuild with OpenCV installed";
}  // namespace

bool haveImageSupport() { return false; }

torch::Tensor loadImageFile(const std::filesystem::path& path, int64_t, int64_t, int64_t, std::string*) {
    throw InputError(path.string(), kNoOpenCv);
}

Dataset generateShapes(const ShapesOptions&) { throw InputError("shapes", kNoOpenCv); }

}  // namespace sw
