#pragma once

#include <cstdint>

namespace sw {

/// Where a slice through the input space runs (metrics/InputSlice.h). Plain data: the job edge and the GUI use it.
struct InputSliceOptions {
    double radius = 0.1;   ///< t runs over [−radius, radius], in pixel units of the L∞-normalised direction (as ε)
    int64_t points = 101;  ///< odd, so that t = 0 is one of them

    /// Throws InputError for a radius ≤ 0 or a point count that is even or below 3.
    void validate() const;
};

}  // namespace sw
