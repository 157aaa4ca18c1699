#pragma once

#include "util/Precision.h"

namespace sw {

/// Holds a job's float32 precision for its lifetime. TF32 is a process-wide switch in LibTorch, shared by the
/// GUI's two worker lanes, so the scopes vote: TF32 is on while at least one TF32 scope is alive and no fp32
/// scope is. An explanation that starts while a TF32 training run is going on therefore computes in true
/// float32, and the training continues in float32 until it is done. Float32 and TF32 only; bf16 is the
/// trainer's own autocast (AutocastScope), which is thread-local; a BF16 scope votes like fp32 and only
/// records the precision (current()). Thread-safe.
class PrecisionScope {
public:
    explicit PrecisionScope(Precision precision);
    ~PrecisionScope();
    PrecisionScope(const PrecisionScope&) = delete;
    PrecisionScope& operator=(const PrecisionScope&) = delete;

    /// Whether LibTorch's TF32 switches are on now (for tests).
    static bool tf32Enabled();
    /// The precision of the innermost scope on this thread (Float32 outside any): what outputs record.
    static Precision current();

private:
    Precision m_precision;
    Precision m_outer;
};

/// Sets LibTorch's TF32 switches off, once per process, before anything computes: PyTorch lets cuDNN
/// convolutions use TF32 by default. resolveDevice() calls it, so every job and session starts exact.
void useFloat32ByDefault();

}  // namespace sw
