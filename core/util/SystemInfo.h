#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sw {

/// A GPU as the CUDA driver reports it.
struct GpuInfo {
    int index = 0;
    std::string name;
    uint64_t totalMemoryBytes = 0;
};

/// What this program computes on: its version, the LibTorch it runs on and the devices it can use.
/// Plain types, so the GUI's About box and Preferences read it without torch headers.
struct SystemInfo {
    std::string programVersion;
    std::string libtorchVersion;  ///< the LibTorch this binary was built against, e.g. "2.15.0"
    bool cudaCompiledIn = false;  ///< LibTorch was built with CUDA (its CUDA library is loaded)
    bool cudaAvailable = false;   ///< compiled in, and a driver with at least one GPU answers
    bool cudnnAvailable = false;
    long cudnnVersion = 0;  ///< e.g. 92600 for 9.26.0; 0 when unknown
    int cpuThreads = 0;     ///< LibTorch's intra-op threads
    std::vector<GpuInfo> gpus;
};

/// Queries LibTorch and the CUDA driver. Never throws: a missing driver means no GPUs.
SystemInfo querySystemInfo();

/// Several lines for `saliency-cli info --system` and the About box.
std::string describeSystem(const SystemInfo& info);

/// The device names a user can choose: "auto", "cpu", then "cuda:0", "cuda:1", … for each visible GPU.
std::vector<std::string> deviceChoices(const SystemInfo& info);

/// One line naming the device a device name resolves to, e.g. "cuda:0 (NVIDIA H100, 80 GB)" or
/// "cpu (2 threads)". Throws InputError for a device that does not exist, as resolveDevice does.
std::string describeDevice(const std::string& deviceName);

/// Process-wide. By default cuDNN autotunes (times the convolution algorithms for each new shape and keeps
/// the fastest), which is fastest but may pick different algorithms from run to run. `deterministic` turns
/// autotuning off, asks cuDNN and ATen for deterministic algorithms and fixes cuBLAS's workspace, so a seeded
/// run repeats on the same GPU. On the CPU results are deterministic either way. (TF32 is the precision's
/// business, util/Precision.h: off unless a training run asks for it.)
void setDeterministic(bool deterministic);
/// (Declared here, in a torch-free header, so both front ends can set it at start-up.)

}  // namespace sw
