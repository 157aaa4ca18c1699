#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

namespace sw {

/// Passed into every long core call: a progress sink and a cancel flag (after QGIS' QgsFeedback).
/// Thread-safe: cancel() may be called from any thread; the work polls it once per batch.
///
/// The one convention (docs/ARCHITECTURE.md, "Progress and cancel"): a job function takes the `Feedback&`
/// its runner owns; every core call below it takes `Feedback* feedback` as its last parameter, which may be
/// null. A cancelled call throws `Cancelled` (throwIfCancelled); the job edge (runGuarded) turns it into
/// Outcome::Cancelled, so no partial result is ever returned as if it were whole.
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
    virtual ~Feedback() = default;

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

/// How a cancelled core call reports it: thrown by throwIfCancelled, caught at the job edge.
class Cancelled : public std::runtime_error {
public:
    explicit Cancelled(const std::string& message = "cancelled") : std::runtime_error(message) {}
};

/// Throws Cancelled when `feedback` (may be null) has been cancelled.
inline void throwIfCancelled(const Feedback* feedback) {
    if (feedback && feedback->isCancelled()) throw Cancelled();
}

/// Reports progress to `feedback` when there is one.
inline void reportProgress(Feedback* feedback, double fraction, const std::string& message = {}) {
    if (feedback) feedback->setProgress(fraction, message);
}

/// One stage of a longer job (after QGIS' QgsProcessingMultiStepFeedback): its progress 0 → 1 fills
/// [base, base + span] of the parent's, its messages are prefixed with the stage's label, and it is
/// cancelled whenever the parent is. A null parent gives a stage that reports nowhere.
class StageFeedback : public Feedback {
public:
    StageFeedback(Feedback* parent, double base, double span, std::string label = {});
};

}  // namespace sw
