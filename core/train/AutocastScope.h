#pragma once

#include <string>

#include <torch/types.h>

namespace sw {

/// Mixed precision for training: inside the scope, this thread's matrix products and convolutions on
/// `device` run in bfloat16 (autocast), the rest in float32. bfloat16 keeps float32's range, so no loss
/// scaling is needed. Autocast is thread-local: create the scope on the thread that computes.
class AutocastScope {
public:
    /// precision: "none" (the scope does nothing) or "bf16"; anything else is an InputError naming --amp.
    AutocastScope(torch::Device device, const std::string& precision);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

    /// Throws InputError unless `precision` is "none" or "bf16".
    static void validate(const std::string& precision);

private:
    bool m_active = false;
    bool m_wasEnabled = false;
    torch::ScalarType m_previousType = torch::kFloat32;
    torch::DeviceType m_deviceType = torch::kCPU;
};

}  // namespace sw
