// Compiled instead of io/OverlayFiles.cpp in a build without OpenCV (see data/ImageSupportUnavailable.cpp).
#include "io/OverlayFiles.h"

#include "util/InputError.h"

namespace sw {

void writeOverlayPngs(const std::filesystem::path&, const std::string&, const torch::Tensor&, const torch::Tensor&,
                      const std::vector<int64_t>&, const OverlayOptions&) {
    throw InputError("--png", "this build has no OpenCV, so it cannot write PNG overlays; leave out --png");
}

}  // namespace sw
