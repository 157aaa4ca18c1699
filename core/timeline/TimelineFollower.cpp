#include "timeline/TimelineFollower.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

std::optional<fs::file_time_type> lastWriteOf(const fs::path& file) {
    std::error_code error;
    const auto written = fs::last_write_time(file, error);
    if (error) return std::nullopt;
    return written;
}

}  // namespace

TimelineFollower::TimelineFollower(TimelineFolder folder, TimelineObserver observer)
    : m_folder(std::move(folder)), m_observer(std::move(observer)), m_indexWritten(lastWriteOf(m_folder.indexFile())) {}

void TimelineFollower::poll() {
    const auto written = lastWriteOf(m_folder.indexFile());
    if (!written || written == m_indexWritten) return;
    try {
        const auto index = m_folder.readIndex();
        if (index.snapshots.empty() || index.snapshots.back().step == m_stepHandedOver) {
            m_indexWritten = written;
            return;
        }
        auto update = m_folder.readNewestUpdate(index);
        if (!update) return;  // its files are not all there yet: look again next time
        m_indexWritten = written;
        m_stepHandedOver = index.snapshots.back().step;
        if (m_observer) m_observer(*update);
    } catch (const std::exception&) {
        // The index is replaced atomically, so this is a folder being created or damaged; the run itself reports
        // its own errors, and the finished timeline is read (and checked) in the Timeline view.
    }
}

}  // namespace sw
