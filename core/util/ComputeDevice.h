#pragma once

#include <string>

#include <torch/types.h>

namespace sw {

/// "auto" picks the first GPU when LibTorch has CUDA and one is visible, else the CPU.
/// "cpu", "cuda" and "cuda:N" are taken literally; asking for a GPU that is not there is an InputError
/// naming the option and saying what is available. The first call also turns LibTorch's TF32 default off
/// (useFloat32ByDefault), so nothing computes on a device before that.
torch::Device resolveDevice(const std::string& name);

/// Sets LibTorch's intra-op thread count (Debian's LibTorch starts with one; threadCount <= 0 means one per
/// hardware core) and keeps freed tensor memory in the process (keepFreedTensorMemory). Every job calls it
/// before it computes.
void prepareCpuCompute(int threadCount);

/// Keeps freed tensor memory in the process instead of returning every multi-megabyte block to the
/// system: glibc otherwise maps and unmaps such blocks on each allocation, and the page faults cost more
/// than the arithmetic for LeNet-sized batches (IG-50 on 1,000 images: 6.2 s → 4.1 s).
void keepFreedTensorMemory();

/// A CPU batch moved to `device`: on a GPU through pinned (page-locked) host memory with a non-blocking
/// copy, so the transfer overlaps with queued kernels; on the CPU the tensor itself.
torch::Tensor toDevice(const torch::Tensor& hostBatch, torch::Device device);

}  // namespace sw
