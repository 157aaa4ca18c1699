#pragma once

#include <string>

#include <torch/types.h>

namespace sw {

/// "auto" picks CUDA when LibTorch was built with it and a GPU is present, else CPU.
/// "cpu", "cuda" and "cuda:N" are taken literally; asking for CUDA without it is an InputError.
torch::Device resolveDevice(const std::string& name);

/// Debian's LibTorch starts with one intra-op thread; every entry point calls this.
/// threadCount <= 0 means one per hardware core.
void setComputeThreads(int threadCount);

}  // namespace sw
