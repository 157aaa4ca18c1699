#include "util/PrecisionScope.h"

#include <mutex>

#include <ATen/Context.h>

namespace sw {

namespace {

std::mutex g_votesMutex;
int g_tf32Votes = 0;
int g_float32Votes = 0;
thread_local Precision t_current = Precision::Float32;

/// With g_votesMutex held. The legacy switches exist in every LibTorch we build against (1.13 to 2.x) and
/// map onto the newer per-backend float32 precision settings in 2.x.
void applyVotes() {
    const bool tf32 = g_tf32Votes > 0 && g_float32Votes == 0;
    auto& context = at::globalContext();
    context.setAllowTF32CuDNN(tf32);
    context.setAllowTF32CuBLAS(tf32);
}

}  // namespace

void useFloat32ByDefault() {
    static std::once_flag once;
    std::call_once(once, [] {
        std::lock_guard<std::mutex> lock(g_votesMutex);
        applyVotes();
    });
}

PrecisionScope::PrecisionScope(Precision precision) : m_precision(precision), m_outer(t_current) {
    useFloat32ByDefault();
    t_current = precision;
    std::lock_guard<std::mutex> lock(g_votesMutex);
    ++(precision == Precision::TF32 ? g_tf32Votes : g_float32Votes);
    applyVotes();
}

PrecisionScope::~PrecisionScope() {
    t_current = m_outer;
    std::lock_guard<std::mutex> lock(g_votesMutex);
    --(m_precision == Precision::TF32 ? g_tf32Votes : g_float32Votes);
    applyVotes();
}

Precision PrecisionScope::current() { return t_current; }

bool PrecisionScope::tf32Enabled() {
    const auto& context = at::globalContext();
    return context.allowTF32CuDNN() && context.allowTF32CuBLAS();
}

}  // namespace sw
