#include "util/ComputeDevice.h"

#include <malloc.h>

#include <thread>

#include <torch/cuda.h>
#include <ATen/Parallel.h>

#include "util/InputError.h"

namespace sw {

torch::Device resolveDevice(const std::string& name) {
    if (name.empty() || name == "auto") {
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    }
    if (name == "cpu") {
        return torch::Device(torch::kCPU);
    }
    if (name.rfind("cuda", 0) == 0) {
        if (!torch::cuda::is_available()) {
            throw InputError("--device " + name, "this LibTorch has no CUDA support or no GPU is visible");
        }
        try {
            return torch::Device(name);
        } catch (const std::exception&) {
            throw InputError("--device " + name, "expected cuda or cuda:N");
        }
    }
    throw InputError("--device " + name, "expected auto, cpu, cuda or cuda:N");
}

void keepFreedTensorMemory() {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum on 64-bit systems
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

void setComputeThreads(int threadCount) {
    keepFreedTensorMemory();
    if (threadCount <= 0) {
        threadCount = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    at::set_num_threads(threadCount);
}

}  // namespace sw
