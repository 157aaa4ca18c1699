#include "util/ComputeDevice.h"

#include <malloc.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include "util/InputError.h"
#include "util/PrecisionScope.h"
#include "util/SystemInfo.h"

namespace sw {

torch::Device resolveDevice(const std::string& name) {
    useFloat32ByDefault();  // before anything computes on the device
    const bool haveGpu = torch::cuda::is_available();
    if (name.empty() || name == "auto") {
        return haveGpu ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    }
    if (name == "cpu") {
        return torch::Device(torch::kCPU);
    }
    if (name.rfind("cuda", 0) == 0) {
        std::optional<torch::Device> device;
        try {
            device = torch::Device(name);
        } catch (const std::exception&) {
            throw InputError("--device " + name, "expected auto, cpu, cuda or cuda:N");
        }
        if (!haveGpu) {
            throw InputError("--device " + name,
                             "no GPU is available (this LibTorch has no CUDA support, or no "
                             "GPU and driver are visible); use --device cpu or auto");
        }
        const auto count = torch::cuda::device_count();
        const int index = device->has_index() ? device->index() : 0;
        if (index >= int(count)) {
            throw InputError("--device " + name, "there " +
                                                     std::string(count == 1 ? "is 1 GPU" : "are " + std::to_string(count) + " GPUs") +
                                                     " (cuda:0" + (count > 1 ? " to cuda:" + std::to_string(count - 1) : "") + ")");
        }
        return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw InputError("--device " + name, "expected auto, cpu, cuda or cuda:N");
}

void keepFreedTensorMemory() {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum on 64-bit systems
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

void prepareCpuCompute(int threadCount) {
    keepFreedTensorMemory();
    if (threadCount <= 0) {
        threadCount = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    at::set_num_threads(threadCount);
}

void setDeterministic(bool deterministic) {
    auto& context = at::globalContext();
    context.setBenchmarkCuDNN(!deterministic);
    context.setDeterministicCuDNN(deterministic);
    // warn_only: an operation without a deterministic kernel warns instead of failing the whole job.
    context.setDeterministicAlgorithms(deterministic, /*warn_only=*/true);
    if (deterministic) {
        // cuBLAS picks reduction orders by workspace size; a fixed workspace makes them repeat (NVIDIA's
        // cuBLAS notes). Read when cuBLAS first starts, so it must be set before the first GPU matmul.
        setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
    }
}

torch::Tensor toDevice(const torch::Tensor& hostBatch, torch::Device device) {
    if (!device.is_cuda()) return hostBatch.to(device);
    return hostBatch.pin_memory().to(device, /*non_blocking=*/true);
}

}  // namespace sw
