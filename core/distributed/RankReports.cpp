#include "distributed/RankReports.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace sw {

namespace {

constexpr const char* kProgressTag = "sw-progress";
constexpr const char* kResultTag = "sw-result";

constexpr std::pair<RankResult::Kind, const char*> kKindNames[] = {{RankResult::Kind::Completed, "completed"},
                                                                   {RankResult::Kind::Cancelled, "cancelled"},
                                                                   {RankResult::Kind::Failed, "failed"},
                                                                   {RankResult::Kind::PeerLost, "peer-lost"}};

/// A message on one line: backslashes and line breaks escaped (error messages carry a "Details" paragraph).
std::string escapeLine(const std::string& text) {
    std::string escaped;
    for (const char c : text) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '\n')
            escaped += "\\n";
        else if (c == '\r')
            escaped += "\\r";
        else
            escaped += c;
    }
    return escaped;
}

std::string unescapeLine(const std::string& text) {
    std::string plain;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            plain += text[i];
            continue;
        }
        const char next = text[++i];
        plain += next == 'n' ? '\n' : next == 'r' ? '\r' : next;
    }
    return plain;
}

}  // namespace

std::string formatRankProgress(const TrainProgress& p) {
    char line[256];
    std::snprintf(line, sizeof line, "%s %lld %lld %lld %.9g %.9g %.9g %.9g\n", kProgressTag, static_cast<long long>(p.step),
                  static_cast<long long>(p.totalSteps), static_cast<long long>(p.epoch), p.loss, p.accuracy, p.examplesPerSecond,
                  p.elapsedSeconds);
    return line;
}

std::optional<TrainProgress> parseRankProgress(const std::string& line) {
    std::istringstream fields(line);
    std::string tag;
    TrainProgress p;
    if (!(fields >> tag) || tag != kProgressTag) return std::nullopt;
    if (!(fields >> p.step >> p.totalSteps >> p.epoch >> p.loss >> p.accuracy >> p.examplesPerSecond >> p.elapsedSeconds))
        return std::nullopt;
    return p;
}

std::string formatRankResult(const RankResult& result) {
    for (const auto& [kind, name] : kKindNames) {
        if (kind == result.kind) return std::string(kResultTag) + " " + name + " " + escapeLine(result.message) + "\n";
    }
    return {};
}

std::optional<RankResult> parseRankResult(const std::string& line) {
    const std::string prefix = std::string(kResultTag) + " ";
    if (line.rfind(prefix, 0) != 0) return std::nullopt;
    const auto nameEnd = line.find(' ', prefix.size());
    const auto name = line.substr(prefix.size(), nameEnd == std::string::npos ? std::string::npos : nameEnd - prefix.size());
    for (const auto& [kind, known] : kKindNames) {
        if (name == known) return RankResult{kind, nameEnd == std::string::npos ? std::string() : unescapeLine(line.substr(nameEnd + 1))};
    }
    return std::nullopt;
}

RankReporter::RankReporter() {
    const char* fd = std::getenv("SW_PROGRESS_FD");
    if (fd && *fd && fcntl(std::atoi(fd), F_GETFD) != -1) m_fd = std::atoi(fd);
}

void RankReporter::report(const TrainProgress& progress) const { write(formatRankProgress(progress)); }

void RankReporter::finish(const RankResult& result) const { write(formatRankResult(result)); }

void RankReporter::write(const std::string& line) const {
    if (m_fd < 0) return;
    // A short line is one atomic write on a pipe, and this rank is its only writer. A launcher that is gone
    // ends this rank by SIGPIPE: an orphaned rank would otherwise train on alone.
    for (size_t done = 0; done < line.size();) {
        const auto written = ::write(m_fd, line.data() + done, line.size() - done);
        if (written <= 0) return;
        done += size_t(written);
    }
}

}  // namespace sw
