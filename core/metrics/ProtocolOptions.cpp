#include "metrics/ProtocolOptions.h"

#include "util/InputError.h"

namespace sw {

void ProtocolOptions::validate() const {
    [[maybe_unused]] const MeasureSet known(metrics);  // throws for an unknown measure
    saliency.validate();
    if (batchSize < 1) throw InputError("--batch-size " + std::to_string(batchSize), "must be at least 1");
    if (stabilitySamples < 1) throw InputError("--samples " + std::to_string(stabilitySamples), "needs at least one perturbation");
    if (!(curvatureRadius > 0.0)) throw InputError("--curvature-radius", "must be positive");
    if (!(hessianBeta > 0.0)) throw InputError("--hessian-beta", "must be positive");
    if (hessianIterations < 1) throw InputError("--hessian-iterations", "needs at least one iteration");
    if (!(stabilityNoiseHigh > stabilityNoiseLow)) {
        throw InputError("--stability-noise-high", "must be larger than --stability-noise-low");
    }
}

}  // namespace sw
