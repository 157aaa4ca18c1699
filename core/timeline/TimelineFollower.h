#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "timeline/TimelineFolder.h"

namespace sw {

/// Follows a timeline that another process is recording (rank 0 of a data-parallel run) and hands each new
/// snapshot to a live view, as the recorder's own TimelineObserver does in a one-process run (docs/TIMELINE.md).
class TimelineFollower {
public:
    /// An index already in `folder` (a run being overwritten or resumed) counts only once it is written again.
    TimelineFollower(TimelineFolder folder, TimelineObserver observer);

    /// Reads the index if it was rewritten since the last look, and calls the observer when its newest snapshot is
    /// one not handed over yet. Never throws: a folder the recorder has not finished writing is "not yet".
    void poll();

private:
    TimelineFolder m_folder;
    TimelineObserver m_observer;
    std::optional<std::filesystem::file_time_type> m_indexWritten;
    std::optional<int64_t> m_stepHandedOver;
};

}  // namespace sw
