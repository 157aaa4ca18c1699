#pragma once

#include <string>

#include <torch/types.h>

#include "util/Precision.h"

namespace sw {

/// Mixed precision for training: inside the scope, this thread's matrix products and convolutions on
/// `device` run in bfloat16 (autocast), the rest in float32. bfloat16 keeps float32's range, so no loss
/// scaling is needed. Autocast is thread-local: create the scope on the thread that computes.
class AutocastScope {
public:
    /// Autocasts to bfloat16 for Precision::BF16; does nothing for any other precision.
    AutocastScope(torch::Device device, Precision precision);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_active = false;
    bool m_wasEnabled = false;
    torch::ScalarType m_previousType = torch::kFloat32;
    torch::DeviceType m_deviceType = torch::kCPU;
};

}  // namespace sw
