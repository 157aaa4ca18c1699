#include "util/Feedback.h"

#include <algorithm>
#include <cmath>

namespace sw {

void Feedback::setProgress(double fraction, const std::string& message) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (std::abs(fraction - m_lastFraction) < 1e-3 && message == m_lastMessage) {
            return;
        }
        m_lastFraction = fraction;
        m_lastMessage = message;
    }
    if (m_sink) {
        m_sink(fraction, message);
    }
}

double Feedback::progress() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::max(0.0, m_lastFraction);
}

StageFeedback::StageFeedback(Feedback* parent, double base, double span, std::string label)
    : Feedback(
          [parent, base, span, label = std::move(label)](double fraction, const std::string& message) {
              if (!parent) return;
              const std::string joined = label.empty() ? message : message.empty() ? label : label + ": " + message;
              parent->setProgress(base + span * fraction, joined);
          },
          parent) {}

}  // namespace sw
