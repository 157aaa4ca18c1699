#pragma once

#include <cstdint>
#include <functional>

namespace sw {

/// One report from a training run. Plain data: the GUI plots these.
struct TrainProgress {
    int64_t step = 0;  ///< global steps done
    int64_t totalSteps = 0;
    int64_t epoch = 0;      ///< 0-based epoch of the last step
    double loss = 0.0;      ///< mean training loss since the previous report
    double accuracy = 0.0;  ///< training accuracy (on the examples trained on) since the previous report
    double examplesPerSecond = 0.0;
    double elapsedSeconds = 0.0;
};

/// Called on the training thread; keep it cheap (copy and hand over).
using TrainObserver = std::function<void(const TrainProgress&)>;

}  // namespace sw
