#include "metrics/SeedStatistics.h"

#include <cmath>
#include <limits>

#include "util/InputError.h"

namespace sw {

double studentT975(int degreesOfFreedom) {
    if (degreesOfFreedom < 1) throw InputError("degrees of freedom " + std::to_string(degreesOfFreedom), "must be at least 1");
    // t₀.₉₇₅ for 1…30 degrees of freedom (standard tables, e.g. Abramowitz & Stegun table 26.10).
    static const double table[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                                   2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                                   2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    if (degreesOfFreedom <= 30) return table[degreesOfFreedom - 1];
    const double z = 1.959963984540054, n = double(degreesOfFreedom);
    return z + (std::pow(z, 3) + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * std::pow(z, 3) + 3 * z) / (96 * n * n);
}

AcrossSeeds acrossSeeds(const std::vector<double>& values) {
    AcrossSeeds summary;
    double sum = 0.0;
    for (const double value : values) {
        if (std::isfinite(value)) sum += value, ++summary.count;
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (summary.count == 0) {
        summary.mean = summary.sd = summary.ciLow = summary.ciHigh = nan;
        return summary;
    }
    summary.mean = sum / double(summary.count);
    if (summary.count < 2) {
        summary.sd = summary.ciLow = summary.ciHigh = nan;
        return summary;
    }
    double squares = 0.0;
    for (const double value : values) {
        if (std::isfinite(value)) squares += (value - summary.mean) * (value - summary.mean);
    }
    summary.sd = std::sqrt(squares / double(summary.count - 1));
    const double halfWidth = studentT975(int(summary.count - 1)) * summary.sd / std::sqrt(double(summary.count));
    summary.ciLow = summary.mean - halfWidth;
    summary.ciHigh = summary.mean + halfWidth;
    return summary;
}

}  // namespace sw
