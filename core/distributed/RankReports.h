#pragma once

#include <optional>
#include <string>

#include "train/TrainProgress.h"

namespace sw {

/// How a rank says it ended, as its last line on SW_PROGRESS_FD. A launcher reads this instead of the rank's
/// printed output or its exit code alone, so it can tell a rank's own failure from one caused by another rank.
struct RankResult {
    enum class Kind {
        Completed,  ///< finished; the message is its summary
        Cancelled,  ///< stopped on request; the message says where
        Failed,     ///< its own failure; the message says why
        PeerLost,   ///< failed only because another rank ended or stopped answering
    };
    Kind kind = Kind::Completed;
    std::string message;
};

/// The line formats on SW_PROGRESS_FD (one definition for both ends). A parse gives nullopt for a line that
/// is not one of its kind.
std::string formatRankProgress(const TrainProgress& progress);
std::optional<TrainProgress> parseRankProgress(const std::string& line);
std::string formatRankResult(const RankResult& result);
std::optional<RankResult> parseRankResult(const std::string& line);

/// A rank's side of SW_PROGRESS_FD: writes each report as one line when this process was started by
/// runLocalRanks, and nothing otherwise. Cheap to construct (reads one environment variable).
class RankReporter {
public:
    RankReporter();
    void report(const TrainProgress& progress) const;
    void finish(const RankResult& result) const;

private:
    void write(const std::string& line) const;
    int m_fd = -1;
};

}  // namespace sw
