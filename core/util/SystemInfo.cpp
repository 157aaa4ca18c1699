#include "util/SystemInfo.h"

#include <dlfcn.h>

#include <cstdio>
#include <sstream>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "models/ModelDescription.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"

namespace sw {

namespace {

/// GPU names and memory come from the CUDA driver (libcuda.so.1, part of the NVIDIA driver), opened at run
/// time: LibTorch's own device-property API needs the CUDA toolkit's headers, which a build without a
/// toolkit (or against Debian's CPU LibTorch) does not have.
std::vector<GpuInfo> queryDriverGpus() {
    std::vector<GpuInfo> gpus;
    void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (driver == nullptr) return gpus;
    using Init = int (*)(unsigned);
    using GetCount = int (*)(int*);
    using Get = int (*)(int*, int);
    using GetName = int (*)(char*, int, int);
    using TotalMem = int (*)(size_t*, int);
    auto init = reinterpret_cast<Init>(dlsym(driver, "cuInit"));
    auto getCount = reinterpret_cast<GetCount>(dlsym(driver, "cuDeviceGetCount"));
    auto get = reinterpret_cast<Get>(dlsym(driver, "cuDeviceGet"));
    auto getName = reinterpret_cast<GetName>(dlsym(driver, "cuDeviceGetName"));
    auto totalMem = reinterpret_cast<TotalMem>(dlsym(driver, "cuDeviceTotalMem_v2"));
    int count = 0;
    if (init && getCount && get && getName && totalMem && init(0) == 0 && getCount(&count) == 0) {
        for (int ordinal = 0; ordinal < count; ++ordinal) {
            int device = 0;
            if (get(&device, ordinal) != 0) continue;
            GpuInfo gpu;
            gpu.index = ordinal;
            char name[256] = {};
            if (getName(name, sizeof name - 1, device) == 0) gpu.name = name;
            size_t bytes = 0;
            if (totalMem(&bytes, device) == 0) gpu.totalMemoryBytes = bytes;
            gpus.push_back(gpu);
        }
    }
    // The driver stays loaded: LibTorch uses it too, and unloading it under a live CUDA context is unsafe.
    return gpus;
}

std::string gigabytes(uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f GB", double(bytes) / 1e9);
    return text;
}

std::string describeGpu(const GpuInfo& gpu) {
    std::string text = "cuda:" + std::to_string(gpu.index) + " (" + (gpu.name.empty() ? "GPU" : gpu.name);
    if (gpu.totalMemoryBytes > 0) text += ", " + gigabytes(gpu.totalMemoryBytes);
    return text + ")";
}

}  // namespace

SystemInfo querySystemInfo() {
    SystemInfo info;
    info.programVersion = programVersion();
    info.libtorchVersion = TORCH_VERSION;
    const auto& hooks = at::detail::getCUDAHooks();
    try {
        // The stub installed when LibTorch has no CUDA throws here; the real hooks return CUDART_VERSION.
        info.cudaCompiledIn = hooks.versionCUDART() > 0;
    } catch (const std::exception&) {
        info.cudaCompiledIn = false;
    }
    info.cudaAvailable = info.cudaCompiledIn && torch::cuda::is_available();
    if (info.cudaAvailable) {
        info.cudnnAvailable = at::Context::hasCuDNN();
        try {
            info.cudnnVersion = info.cudnnAvailable ? at::Context::versionCuDNN() : 0;
        } catch (const std::exception&) {
            info.cudnnVersion = 0;
        }
        info.gpus = queryDriverGpus();
        // The driver may list GPUs that CUDA_VISIBLE_DEVICES hides from LibTorch; keep LibTorch's count.
        const auto visible = static_cast<size_t>(torch::cuda::device_count());
        if (info.gpus.size() != visible) {
            info.gpus.resize(visible);
            for (size_t index = 0; index < visible; ++index) info.gpus[index].index = int(index);
        }
    }
    info.cpuThreads = at::get_num_threads();
    return info;
}

std::string describeSystem(const SystemInfo& info) {
    std::ostringstream text;
    text << "Saliency Workbench " << info.programVersion << "\n";
    text << "LibTorch " << info.libtorchVersion << (info.cudaCompiledIn ? " with CUDA" : " (CPU only)") << "\n";
    text << "CUDA available: " << (info.cudaAvailable ? "yes" : "no");
    if (info.cudaCompiledIn && !info.cudaAvailable) text << " (no GPU or driver visible)";
    text << "\n";
    if (info.cudaAvailable) {
        text << "cuDNN: ";
        if (info.cudnnAvailable) {
            text << "yes";
            if (info.cudnnVersion > 0) text << " (" << info.cudnnVersion << ")";
        } else {
            text << "no";
        }
        text << "\n";
    }
    text << "Devices: cpu (" << info.cpuThreads << " threads)";
    for (const auto& gpu : info.gpus) text << ", " << describeGpu(gpu);
    text << "\n";
    return text.str();
}

std::vector<std::string> deviceChoices(const SystemInfo& info) {
    std::vector<std::string> choices{"auto", "cpu"};
    for (const auto& gpu : info.gpus) choices.push_back("cuda:" + std::to_string(gpu.index));
    return choices;
}

std::string describeDevice(const std::string& deviceName) {
    const auto device = resolveDevice(deviceName);
    if (device.is_cpu()) return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
    const auto info = querySystemInfo();
    const int index = device.has_index() ? device.index() : 0;
    for (const auto& gpu : info.gpus) {
        if (gpu.index == index) return describeGpu(gpu);
    }
    return device.str();
}

}  // namespace sw
