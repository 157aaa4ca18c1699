#include "train/AutocastScope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the per-device autocast functions (set_enabled for CUDA, set_cpu_enabled, …) with
// ones taking the device type; Debian's 1.13 has only the former.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define SW_AUTOCAST_BY_DEVICE_TYPE 1
#endif

namespace sw {

namespace {

bool isEnabled(torch::DeviceType type) {
#ifdef SW_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::is_autocast_enabled(type);
#else
    return type == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

void setEnabled(torch::DeviceType type, bool enabled) {
#ifdef SW_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_enabled(type, enabled);
#else
    type == torch::kCUDA ? at::autocast::set_enabled(enabled) : at::autocast::set_cpu_enabled(enabled);
#endif
}

torch::ScalarType lowPrecisionType(torch::DeviceType type) {
#ifdef SW_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::get_autocast_dtype(type);
#else
    return type == torch::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

void setLowPrecisionType(torch::DeviceType type, torch::ScalarType scalarType) {
#ifdef SW_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_dtype(type, scalarType);
#else
    type == torch::kCUDA ? at::autocast::set_autocast_gpu_dtype(scalarType) : at::autocast::set_autocast_cpu_dtype(scalarType);
#endif
}

}  // namespace

AutocastScope::AutocastScope(torch::Device device, Precision precision) {
    if (precision != Precision::BF16) return;
    m_deviceType = device.type();
    m_wasEnabled = isEnabled(m_deviceType);
    m_previousType = lowPrecisionType(m_deviceType);
    setLowPrecisionType(m_deviceType, torch::kBFloat16);
    setEnabled(m_deviceType, true);
    m_active = true;
}

AutocastScope::~AutocastScope() {
    if (!m_active) return;
    setEnabled(m_deviceType, m_wasEnabled);
    setLowPrecisionType(m_deviceType, m_previousType);
    // Autocast keeps bfloat16 copies of the weights for the scope's lifetime; the step's are stale after it.
    if (!m_wasEnabled) at::autocast::clear_cache();
}

}  // namespace sw
