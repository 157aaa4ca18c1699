#include "study/StimuliJob.h"

namespace sw {

// A build without OpenCV or OpenSSL (scripts/gpu-check.sh on a bare machine) cannot render or hash stimuli.
JobResult runStimuliJob(const StimuliRequest&, Feedback&) {
    return JobResult::failed(
        "this build has no OpenCV or no OpenSSL, so it cannot write stimuli; build with both (scripts/install-deps.sh)");
}

}  // namespace sw
