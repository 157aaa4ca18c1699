#pragma once

#include <stdexcept>

namespace sw {

/// This rank of a data-parallel run failed only because another rank ended or stopped answering: the other
/// rank's failure is the one to report. Thrown by the collectives; the job edge marks the result with it.
class PeerLost : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace sw
