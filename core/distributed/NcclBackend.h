#pragma once

#include <chrono>
#include <string>

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include "distributed/DistributedLaunch.h"

namespace sw {

/// NCCL's c10d process group, for ranks that each compute on their own GPU. Built where the LibTorch has CUDA
/// and the NCCL headers of PyPI's nvidia-nccl package sit next to it (core/CMakeLists.txt).
c10::intrusive_ptr<c10d::Backend> connectNccl(const c10::intrusive_ptr<c10d::Store>& store, int rank, int worldSize,
                                              std::chrono::seconds timeout);

}  // namespace sw
