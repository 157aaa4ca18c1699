#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

namespace sw {

/// How a long job ended. Cancel is an outcome, not an error.
enum class Outcome { Completed, Cancelled, Failed };

struct JobResult {
    Outcome outcome = Outcome::Completed;
    std::string message;  ///< Why it failed (names the file and cause), or a short summary.

    static JobResult completed(std::string summary = {}) { return {Outcome::Completed, std::move(summary)}; }
    static JobResult cancelled() { return {Outcome::Cancelled, "cancelled"}; }
    static JobResult failed(std::string why) { return {Outcome::Failed, std::move(why)}; }
};

/// Passed into every long core call: a progress sink and a cancel flag (after QGIS' QgsFeedback).
/// Thread-safe: cancel() may be called from any thread; the job polls isCancelled() once per batch.
class Feedback {
public:
    /// fraction in [0, 1]; message is a short human-readable status line.
    using ProgressSink = std::function<void(double fraction, const std::string& message)>;

    Feedback() = default;
    explicit Feedback(ProgressSink sink) : m_sink(std::move(sink)) {}
    /// A sub-job's feedback: cancelled whenever `parent` is (the parent must outlive it).
    Feedback(ProgressSink sink, const Feedback* parent) : m_sink(std::move(sink)), m_parent(parent) {}
    Feedback(const Feedback&) = delete;
    Feedback& operator=(const Feedback&) = delete;

    void cancel() noexcept { m_cancelled.store(true); }
    bool isCancelled() const noexcept { return m_cancelled.load() || (m_parent && m_parent->isCancelled()); }

    /// Forwards to the sink only when the value changed by at least 0.1 % or the message changed,
    /// so callers may report every batch without flooding a GUI.
    void setProgress(double fraction, const std::string& message = {});
    double progress() const;

private:
    std::atomic<bool> m_cancelled{false};
    ProgressSink m_sink;
    const Feedback* m_parent = nullptr;
    mutable std::mutex m_mutex;
    double m_lastFraction = -1.0;
    std::string m_lastMessage;
};

}  // namespace sw
