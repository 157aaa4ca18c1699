#include "jobs/JobEdge.h"

#include <c10/util/Exception.h>

#include "util/InputError.h"

namespace sw {

JobResult runGuarded(const std::function<JobResult()>& body) {
    try {
        return body();
    } catch (const Cancelled& cancelled) {
        return JobResult::cancelled(cancelled.what());
    } catch (const InputError& error) {
        return JobResult::failed(error.what());
    } catch (const c10::Error& error) {
        // LibTorch's own what() carries a C++ backtrace; a user needs the sentence.
        return JobResult::failed(error.what_without_backtrace());
    } catch (const std::exception& error) {
        return JobResult::failed(error.what());
    }
}

}  // namespace sw
