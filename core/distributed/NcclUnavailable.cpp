#include "distributed/DataParallel.h"
#include "distributed/NcclBackend.h"

namespace sw {

// A LibTorch without CUDA, or one whose NCCL headers were not found or did not compile (cmake/SwFindC10d.cmake): Gloo carries every run.
bool ncclAvailable(std::string* why) {
    if (why)
        *why =
            "this build has no NCCL (a LibTorch without CUDA, no nvidia/nccl/include next to it, or headers that did not compile: "
            "configure said which)";
    return false;
}

c10::intrusive_ptr<c10d::Backend> connectNccl(const c10::intrusive_ptr<c10d::Store>&, int, int, std::chrono::seconds) {
    std::string why;
    ncclAvailable(&why);
    throw DistributedError(why);
}

}  // namespace sw
