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
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace sw {

namespace {

constexpr int kProgressFd = 3;  ///< where each rank finds its report pipe
constexpr size_t kOutputTailBytes = 4096;

/// A pipe whose ends are above the standard descriptors and the report slot, closed on exec.
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
    int reportFd = -1;
    int outputFd = -1;
    std::string pendingReport;  ///< a partial line
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
    /// Sends `signal` to every rank still running; returns which ones it reached.
    std::vector<size_t> signalRunning(int signal) {
        std::vector<size_t> reached;
        for (size_t r = 0; r < m_ranks.size(); ++r) {
            if (m_ranks[r].running && m_ranks[r].pid > 0 && kill(m_ranks[r].pid, signal) == 0) reached.push_back(r);
        }
        return reached;
    }
    static void closeAll(RunningRank& rank) {
        for (int* fd : {&rank.reportFd, &rank.outputFd}) {
            if (*fd >= 0) close(*fd);
            *fd = -1;
        }
    }

private:
    std::vector<RunningRank> m_ranks;
};

/// Starts one rank with posix_spawn, not fork: the GUI calls this from a worker thread, where a forked child
/// may only make async-signal-safe calls; everything the child needs is prepared here.
void spawnRank(const LocalLaunchOptions& options, int rank, int port, RunningRank& running) {
    std::vector<std::string> arguments{options.program};
    arguments.insert(arguments.end(), options.arguments.begin(), options.arguments.end());
    auto argv = pointersTo(arguments);
    int report[2], output[2] = {-1, -1};
    makePipe(report);
    running.reportFd = report[0];
    if (options.captureOutput) {
        try {
            makePipe(output);
        } catch (...) {
            close(report[1]);
            throw;
        }
        running.outputFd = output[0];
    }
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_adddup2(&files, report[1], kProgressFd);
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
    close(report[1]);
    if (output[1] >= 0) close(output[1]);
    if (error != 0) {
        running.pid = -1;
        running.running = false;
        throw std::runtime_error(options.program + ": cannot start rank " + std::to_string(rank) + ": " + std::strerror(error));
    }
}

/// Reads a rank's pipes: reports into its state, output into its tail. Closes a pipe at its end.
bool readRank(RunningRank& running, RankState& state) {
    bool changed = false;
    if (running.reportFd >= 0) {
        const bool open = drain(running.reportFd, running.pendingReport);
        for (size_t end; (end = running.pendingReport.find('\n')) != std::string::npos;) {
            const auto line = running.pendingReport.substr(0, end);
            if (const auto progress = parseRankProgress(line)) {
                state.progress = progress;
                if (state.phase == RankState::Phase::Starting) state.phase = RankState::Phase::Training;
                changed = true;
            } else if (const auto result = parseRankResult(line)) {
                state.result = result;
                changed = true;
            }
            running.pendingReport.erase(0, end + 1);
        }
        if (!open) {
            close(running.reportFd);
            running.reportFd = -1;
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

/// A reaped rank's phase, from its wait status and what it reported.
RankState::Phase endedPhase(const RankState& state, bool launchCancelled) {
    const auto status = state.waitStatus;
    if (status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) return RankState::Phase::Finished;
    const bool saidCancelled = state.result && state.result->kind == RankResult::Kind::Cancelled;
    const bool exitedAsCancelled = status && WIFEXITED(*status) && WEXITSTATUS(*status) == 130;
    // A rank killed by our SIGINT before it set its handler was stopped by the cancel too.
    const bool interruptedByCancel = status && launchCancelled && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGINT;
    return saidCancelled || exitedAsCancelled || interruptedByCancel ? RankState::Phase::Cancelled : RankState::Phase::Failed;
}

/// Watches the ranks until every one has ended. Stopping the others goes in stages: a cancel sends SIGINT
/// (each rank stops at its next step); after a failure or an unanswered cancel, SIGTERM once the grace period
/// is over, then SIGKILL ten seconds later.
void superviseRanks(const LocalLaunchOptions& options, RankProcesses& ranks, std::vector<RankState>& states, Feedback* feedback,
                    const std::function<void()>& notify) {
    enum class Stop { None, Asked, Terminated, Killed } stop = Stop::None;
    auto stopDeadline = std::chrono::steady_clock::now();
    const auto startGracePeriod = [&] {
        if (stop != Stop::None) return;
        stop = Stop::Asked;
        stopDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.graceSeconds);
    };
    bool cancelled = false;
    size_t live = ranks.size();
    while (live > 0) {
        std::vector<pollfd> watched;
        for (size_t r = 0; r < ranks.size(); ++r) {
            if (ranks[r].reportFd >= 0) watched.push_back({ranks[r].reportFd, POLLIN, 0});
            if (ranks[r].outputFd >= 0) watched.push_back({ranks[r].outputFd, POLLIN, 0});
        }
        // The timeout only bounds how late a child's end (which no pipe signals once both are closed) or a
        // deadline is noticed.
        poll(watched.data(), watched.size(), 100);
        bool changed = false;
        for (size_t r = 0; r < ranks.size(); ++r) {
            auto& running = ranks[r];
            auto& state = states[r];
            // Reaped before its pipes are read: what it wrote before it ended is in them now.
            int status = 0;
            const pid_t waited = running.running ? waitpid(running.pid, &status, WNOHANG) : 0;
            const bool ended = waited == running.pid || (waited < 0 && errno != EINTR);
            changed = readRank(running, state) || changed;
            if (!ended) continue;
            running.running = false;
            --live;
            if (waited > 0) state.waitStatus = status;
            state.phase = endedPhase(state, cancelled);
            if (state.phase == RankState::Phase::Failed) startGracePeriod();
            changed = true;
        }
        if (feedback && feedback->isCancelled() && !cancelled) {
            cancelled = true;
            ranks.signalRunning(SIGINT);
            startGracePeriod();
        }
        if (stop != Stop::None && stop != Stop::Killed && std::chrono::steady_clock::now() > stopDeadline) {
            for (const auto r : ranks.signalRunning(stop == Stop::Asked ? SIGTERM : SIGKILL)) states[r].stoppedByLauncher = true;
            stop = stop == Stop::Asked ? Stop::Terminated : Stop::Killed;
            stopDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        }
        if (changed) notify();
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

std::string describeExit(const RankState& rank) {
    if (!rank.waitStatus) {
        const bool ended =
            rank.phase == RankState::Phase::Finished || rank.phase == RankState::Phase::Cancelled || rank.phase == RankState::Phase::Failed;
        return ended ? "ended (its process could not be waited for)" : "";
    }
    const int status = *rank.waitStatus;
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "stopped";
}

std::string describeFailure(const RankState& rank) {
    if (rank.result && rank.result->kind != RankResult::Kind::Completed && !rank.result->message.empty()) {
        const auto& message = rank.result->message;
        return message.substr(0, message.find('\n'));
    }
    return describeExit(rank);
}

LaunchVerdict judgeLaunch(const std::vector<RankState>& ranks) {
    LaunchVerdict verdict;
    const auto ownFailure = [](const RankState& rank) {
        return !rank.stoppedByLauncher && !(rank.result && rank.result->kind == RankResult::Kind::PeerLost);
    };
    const RankState* cause = nullptr;
    bool anyCancelled = false;
    for (const auto& rank : ranks) {  // in rank order: the lowest qualifying rank wins
        anyCancelled = anyCancelled || rank.phase == RankState::Phase::Cancelled;
        if (rank.phase != RankState::Phase::Failed) continue;
        if (!cause || (ownFailure(rank) && !ownFailure(*cause))) cause = &rank;
        verdict.failures +=
            (verdict.failures.empty() ? "" : "; ") + std::string("rank ") + std::to_string(rank.rank) + " " + describeExit(rank);
        const auto why = describeFailure(rank);
        if (why != describeExit(rank)) verdict.failures += ": " + why;
    }
    if (!cause) {
        verdict.exitCode = anyCancelled ? 130 : 0;
        return verdict;
    }
    verdict.cause = cause->rank;
    const auto status = cause->waitStatus;
    verdict.exitCode = !status                ? 1
                       : WIFEXITED(*status)   ? (WEXITSTATUS(*status) != 0 ? WEXITSTATUS(*status) : 1)
                       : WIFSIGNALED(*status) ? 128 + WTERMSIG(*status)
                                              : 1;
    return verdict;
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

std::vector<RankState> runLocalRanks(const LocalLaunchOptions& options, const RankObserver& observer, Feedback* feedback) {
    if (options.processes < 1) throw std::runtime_error("--nproc " + std::to_string(options.processes) + ": expected 1 or more processes");
    const int port = options.masterPort > 0 ? options.masterPort : freeLoopbackPort();
    if (port <= 0) throw std::runtime_error("no free TCP port on 127.0.0.1 for the ranks' rendezvous; give --master-port");
    std::vector<RankState> states(size_t(options.processes));
    RankProcesses ranks(size_t(options.processes));
    const auto notify = [&] {
        if (observer) observer(states);
    };
    for (int rank = 0; rank < options.processes; ++rank) {
        states[size_t(rank)].rank = rank;
        spawnRank(options, rank, port, ranks[size_t(rank)]);
    }
    notify();
    superviseRanks(options, ranks, states, feedback, notify);
    for (size_t r = 0; r < ranks.size(); ++r) RankProcesses::closeAll(ranks[r]);
    notify();
    return states;
}

}  // namespace sw
