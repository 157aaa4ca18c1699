#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace sw {

/// A procedurally generated set of simple shapes (circle, square, triangle, cross) on noisy, textured
/// backgrounds, each with its ground-truth object mask. Sample i depends only on (seed, i), so any
/// subset can be regenerated exactly; used for fast tests, demos and localisation scores.
struct ShapesOptions {
    int64_t count = 2000;
    uint64_t seed = 1;
    int64_t channels = 1;
    int64_t height = 28;
    int64_t width = 28;
};

const std::vector<std::string>& shapeClassNames();

Dataset generateShapes(const ShapesOptions& options);

}  // namespace sw
