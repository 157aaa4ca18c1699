#pragma once

#include <functional>
#include <string>

#include "util/Feedback.h"

namespace sw {

/// How a long job ended. Cancel is an outcome, not an error.
enum class Outcome { Completed, Cancelled, Failed };

/// What a job returns to its face (CLI or GUI): plain types, no exception crosses this edge.
struct JobResult {
    Outcome outcome = Outcome::Completed;
    std::string message;  ///< Why it failed (names the file and cause), or a short summary.
    /// Failed only because another rank of a data-parallel run ended or stopped answering (util/PeerLost.h).
    bool peerLost = false;

    static JobResult completed(std::string summary = {}) { return {Outcome::Completed, std::move(summary), false}; }
    static JobResult cancelled(std::string why = "cancelled") { return {Outcome::Cancelled, std::move(why), false}; }
    static JobResult failed(std::string why) { return {Outcome::Failed, std::move(why), false}; }
};

/// The job edge: runs a job body and turns what it throws into a result — Cancelled into
/// Outcome::Cancelled, every other exception into Outcome::Failed with a readable message (core throws,
/// the edge catches), marked `peerLost` for PeerLost. Torch-free: the GUI uses it too.
JobResult runGuarded(const std::function<JobResult()>& body);

/// What a user reads of an error: one plain sentence first (LibTorch's shape errors become "the model
/// expects 1 channel, the image has 3"), then, when the library said more, a blank line, "Details:" and
/// its whole message — faces show the first line and keep the rest behind a "Details" button or tooltip.
std::string readableMessage(const std::exception& error);
/// The marker between the sentence and the details.
inline constexpr const char* kErrorDetailsMarker = "\n\nDetails: ";

}  // namespace sw
