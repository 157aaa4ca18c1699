#include "distributed/DataParallel.h"

namespace sw {

// LibTorch 1.13 (Debian's libtorch-dev) has an older c10d; data-parallel runs need the LibTorch 2.x build.
bool dataParallelAvailable(std::string* why) {
    if (why)
        *why =
            "this build's LibTorch has no usable c10d process group; data-parallel training needs the LibTorch 2.x build "
            "(scripts/install-deps.sh)";
    return false;
}

bool ncclAvailable(std::string* why) { return dataParallelAvailable(why); }

std::unique_ptr<DataParallelGroup> DataParallelGroup::connect(const DistributedLaunch&, const torch::Device&) {
    std::string why;
    dataParallelAvailable(&why);
    throw DistributedError(why);
}

}  // namespace sw
