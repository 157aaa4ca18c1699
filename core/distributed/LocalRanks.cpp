#include "distributed/LocalRanks.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace sw {

namespace {

constexpr const char* kProgressTag = "sw-progress";
constexpr int kProgressFd = 3;  ///< where each rank finds its progress pipe
constexpr size_t kOutputTailBytes = 4096;

std::string describeExit(int status) {
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "stopped";
}

/// A pipe whose ends are above the standard descriptors and the progress slot, closed on exec.
void makePipe(int ends[2]) {
    int raw[2];
    if (pipe2(raw, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    for (int end = 0; end < 2; ++end) {
        ends[end] = fcntl(raw[end], F_DUPFD_CLOEXEC, 10);
        close(raw[end]);
    }
    if (ends[0] < 0 || ends[1] < 0 || fcntl(ends[0], F_SETFL, O_NONBLOCK) != 0) {
        for (int end : {ends[0], ends[1]}) {
            if (end >= 0) close(end);
        }
        throw std::runtime_error(std::string("cannot set up a pipe: ") + std::strerror(errno));
    }
}

/// This process's environment without the launch variables, plus each rank's own.
std::vector<std::string> rankEnvironment(int rank, int processes, int port) {
    std::vector<std::string> variables;
    for (char** entry = environ; *entry; ++entry) variables.emplace_back(*entry);
    const std::pair<const char*, std::string> ours[] = {
        {"RANK", std::to_string(rank)}, {"LOCAL_RANK", std::to_string(rank)},  {"WORLD_SIZE", std::to_string(processes)},
        {"MASTER_ADDR", "127.0.0.1"},   {"MASTER_PORT", std::to_string(port)}, {"SW_PROGRESS_FD", std::to_string(kProgressFd)}};
    for (const auto& [name, value] : ours) {
        const std::string prefix = std::string(name) + "=";
        variables.erase(std::remove_if(variables.begin(), variables.end(), [&](const std::string& v) { return v.rfind(prefix, 0) == 0; }),
                        variables.end());
        variables.push_back(prefix + value);
    }
    return variables;
}

std::vector<char*> pointersTo(std::vector<std::string>& texts) {
    std::vector<char*> pointers;
    for (auto& text : texts) pointers.push_back(text.data());
    pointers.push_back(nullptr);
    return pointers;
}

struct RunningRank {
    pid_t pid = -1;
    int progressFd = -1;
    int outputFd = -1;
    std::string pendingProgress;  ///< a partial line
    bool running = true;
};

/// Reads what is there without blocking; false once the writer has closed its end.
bool drain(int fd, std::string& into) {
    char buffer[4096];
    while (true) {
        const ssize_t count = read(fd, buffer, sizeof buffer);
        if (count > 0) {
            into.append(buffer, size_t(count));
            continue;
        }
        return count < 0 && (errno == EAGAIN || errno == EINTR);
    }
}

}  // namespace

std::string phaseName(RankState::Phase phase) {
    switch (phase) {
    case RankState::Phase::Starting:
        return "starting";
    case RankState::Phase::Training:
        return "training";
    case RankState::Phase::Finished:
        return "finished";
    case RankState::Phase::Cancelled:
        return "cancelled";
    case RankState::Phase::Failed:
        return "failed";
    }
    return "?";
}

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

RankProgressReporter::RankProgressReporter() {
    const char* fd = std::getenv("SW_PROGRESS_FD");
    if (fd && *fd && fcntl(std::atoi(fd), F_GETFD) != -1) m_fd = std::atoi(fd);
}

void RankProgressReporter::report(const TrainProgress& progress) const {
    if (m_fd < 0) return;
    const auto line = formatRankProgress(progress);
    // One write of a short line is atomic on a pipe. A launcher that is gone ends this rank by SIGPIPE: an
    // orphaned rank would otherwise train on alone.
    [[maybe_unused]] const auto written = write(m_fd, line.data(), line.size());
}

int freeLoopbackPort() {
    const int probe = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (probe >= 0 && bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    if (probe >= 0) close(probe);
    return port;
}

int launchExitCode(const std::vector<RankState>& ranks) {
    const RankState* first = nullptr;
    for (const auto& rank : ranks) {
        if (rank.phase != RankState::Phase::Finished &&
            (!first || (rank.endedAs > 0 && (first->endedAs == 0 || rank.endedAs < first->endedAs))))
            first = &rank;
    }
    if (!first) return 0;
    const auto& text = first->exitDescription;
    if (text.rfind("exited with code ", 0) == 0) return std::atoi(text.c_str() + 17);
    if (text.rfind("was killed by signal ", 0) == 0) return 128 + std::atoi(text.c_str() + 21);
    return 1;
}

namespace {

/// The launch's children and their pipes. Whatever way the launch ends, none is left running, unreaped or open.
class RankProcesses {
public:
    explicit RankProcesses(size_t count) : m_ranks(count) {}
    ~RankProcesses() {
        for (auto& rank : m_ranks) {
            if (rank.running && rank.pid > 0) {
                kill(rank.pid, SIGKILL);
                waitpid(rank.pid, nullptr, 0);
            }
            closeAll(rank);
        }
    }
    RunningRank& operator[](size_t index) { return m_ranks[index]; }
    size_t size() const { return m_ranks.size(); }
    void signalRunning(int signal) {
        for (const auto& rank : m_ranks) {
            if (rank.running && rank.pid > 0) kill(rank.pid, signal);
        }
    }
    static void closeAll(RunningRank& rank) {
        for (int* fd : {&rank.progressFd, &rank.outputFd}) {
            if (*fd >= 0) close(*fd);
            *fd = -1;
        }
    }

private:
    std::vector<RunningRank> m_ranks;
};

/// Reads a rank's pipes: progress lines into its state, output into its tail. Closes a pipe at its end.
bool readRank(RunningRank& running, RankState& state) {
    bool changed = false;
    if (running.progressFd >= 0) {
        const bool open = drain(running.progressFd, running.pendingProgress);
        for (size_t end; (end = running.pendingProgress.find('\n')) != std::string::npos;) {
            if (const auto progress = parseRankProgress(running.pendingProgress.substr(0, end))) {
                state.progress = progress;
                if (state.phase == RankState::Phase::Starting) state.phase = RankState::Phase::Training;
                changed = true;
            }
            running.pendingProgress.erase(0, end + 1);
        }
        if (!open) {
            close(running.progressFd);
            running.progressFd = -1;
        }
    }
    if (running.outputFd >= 0) {
        const bool open = drain(running.outputFd, state.outputTail);
        if (state.outputTail.size() > kOutputTailBytes) state.outputTail.erase(0, state.outputTail.size() - kOutputTailBytes);
        if (!open) {
            close(running.outputFd);
            running.outputFd = -1;
        }
    }
    return changed;
}

}  // namespace

std::vector<RankState> runLocalRanks(const LocalLaunchOptions& options, Feedback* feedback, const RankObserver& observer) {
    if (options.processes < 1) throw std::runtime_error("--nproc " + std::to_string(options.processes) + ": expected 1 or more processes");
    const int port = options.masterPort > 0 ? options.masterPort : freeLoopbackPort();
    if (port <= 0) throw std::runtime_error("no free TCP port on 127.0.0.1 for the ranks' rendezvous; give --master-port");
    std::vector<RankState> states(size_t(options.processes));
    RankProcesses ranks(size_t(options.processes));
    auto notify = [&] {
        if (observer) observer(states);
    };
    // posix_spawn, not fork: the GUI calls this from a worker thread, where a forked child may only make
    // async-signal-safe calls; everything the children need is prepared here.
    std::vector<std::string> arguments{options.program};
    arguments.insert(arguments.end(), options.arguments.begin(), options.arguments.end());
    auto argv = pointersTo(arguments);
    for (int rank = 0; rank < options.processes; ++rank) {
        states[size_t(rank)].rank = rank;
        auto& running = ranks[size_t(rank)];
        int progress[2], output[2] = {-1, -1};
        makePipe(progress);
        running.progressFd = progress[0];
        if (options.captureOutput) {
            try {
                makePipe(output);
            } catch (...) {
                close(progress[1]);
                throw;
            }
            running.outputFd = output[0];
        }
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_adddup2(&files, progress[1], kProgressFd);
        if (options.captureOutput) {
            posix_spawn_file_actions_adddup2(&files, output[1], STDOUT_FILENO);
            posix_spawn_file_actions_adddup2(&files, output[1], STDERR_FILENO);
        }
        // The CLI launcher ignores SIGINT (the terminal sends it to the ranks too); the ranks must not inherit that.
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        sigset_t defaults, none;
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGINT);
        sigaddset(&defaults, SIGTERM);
        sigaddset(&defaults, SIGPIPE);
        sigemptyset(&none);
        posix_spawnattr_setsigdefault(&attributes, &defaults);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
        auto environment = rankEnvironment(rank, options.processes, port);
        auto envp = pointersTo(environment);
        const int error = posix_spawn(&running.pid, options.program.c_str(), &files, &attributes, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&files);
        posix_spawnattr_destroy(&attributes);
        close(progress[1]);
        if (output[1] >= 0) close(output[1]);
        if (error != 0) {
            running.pid = -1;
            running.running = false;
            throw std::runtime_error(options.program + ": cannot start rank " + std::to_string(rank) + ": " + std::strerror(error));
        }
    }
    notify();

    // Stopping the others, in stages: a cancel sends SIGINT (each rank stops at its next step); after a failure
    // or an unanswered cancel, SIGTERM once the grace period is over, then SIGKILL ten seconds later.
    enum class Stop { None, Asked, Terminated, Killed } stop = Stop::None;
    auto stopDeadline = std::chrono::steady_clock::now();
    bool cancelled = false;
    int ended = 0;
    size_t live = ranks.size();
    while (live > 0) {
        std::vector<pollfd> watched;
        for (size_t r = 0; r < ranks.size(); ++r) {
            if (ranks[r].progressFd >= 0) watched.push_back({ranks[r].progressFd, POLLIN, 0});
            if (ranks[r].outputFd >= 0) watched.push_back({ranks[r].outputFd, POLLIN, 0});
        }
        poll(watched.data(), watched.size(), 100);
        bool changed = false;
        for (size_t r = 0; r < ranks.size(); ++r) {
            auto& running = ranks[r];
            auto& state = states[r];
            // Reaped before its pipes are read: what it wrote before it ended is in them now.
            int status = 0;
            const pid_t waited = running.running ? waitpid(running.pid, &status, WNOHANG) : 0;
            if (waited == running.pid || (waited < 0 && errno != EINTR)) {
                running.running = false;
                --live;
                state.endedAs = ++ended;
                const bool ok = waited > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
                const bool stoppedByCancel = waited > 0 && ((WIFEXITED(status) && WEXITSTATUS(status) == 130) ||
                                                            (cancelled && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT));
                state.phase = ok ? RankState::Phase::Finished : stoppedByCancel ? RankState::Phase::Cancelled : RankState::Phase::Failed;
                state.exitDescription = waited > 0 ? describeExit(status) : std::string("could not be waited for: ") + std::strerror(errno);
                if (state.phase == RankState::Phase::Failed && stop == Stop::None) {
                    stop = Stop::Asked;
                    stopDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.graceSeconds);
                }
                changed = true;
            }
            changed = readRank(running, state) || changed;
        }
        if (feedback && feedback->isCancelled() && !cancelled) {
            cancelled = true;
            ranks.signalRunning(SIGINT);
            if (stop == Stop::None) {
                stop = Stop::Asked;
                stopDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.graceSeconds);
            }
        }
        if (stop != Stop::None && stop != Stop::Killed && std::chrono::steady_clock::now() > stopDeadline) {
            ranks.signalRunning(stop == Stop::Asked ? SIGTERM : SIGKILL);
            stop = stop == Stop::Asked ? Stop::Terminated : Stop::Killed;
            stopDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        }
        if (changed) notify();
    }
    // What the ranks wrote just before they ended.
    for (size_t r = 0; r < ranks.size(); ++r) {
        readRank(ranks[r], states[r]);
        RankProcesses::closeAll(ranks[r]);
    }
    notify();
    return states;
}

}  // namespace sw
