#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "CommandLineParsing.h"
#include "Commands.h"

namespace sw::cli {

namespace {

/// A port nobody listens on now (the kernel's choice), for the ranks' rendezvous.
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

std::string describeExit(int status) {
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "stopped";
}

}  // namespace

void addLaunchCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("launch",
                                       "Run a command as N data-parallel processes on this machine (as torchrun does): each gets "
                                       "RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT (docs/SCALING.md)");
    command->footer(
        "Example (two processes, each with half of every batch of 64):\n"
        "  saliency-cli launch --nproc 2 -- train --dataset fmnist --batch-size 64 --threads 1 --out dp.swm");
    struct Options {
        int processes = 2;
        int port = 0;
        int graceSeconds = 150;
        std::vector<std::string> arguments;
    };
    auto options = std::make_shared<Options>();
    command->add_option("--nproc", options->processes, "How many processes (ranks)")->capture_default_str();
    command->add_option("--master-port", options->port, "Rendezvous port on 127.0.0.1 (default: a free one)");
    command
        ->add_option("--grace", options->graceSeconds,
                     "Seconds the others may take to stop after one rank fails, before they are terminated")
        ->capture_default_str();
    command->add_option("command", options->arguments, "The saliency-cli command to run, after --: train … or reproduce …")->required();
    command->callback([options, &exitCode] {
        if (options->processes < 1) {
            std::fprintf(stderr, "error: --nproc %d: expected 1 or more processes\n", options->processes);
            exitCode = 2;
            return;
        }
        if (options->arguments.empty() || (options->arguments.front() != "train" && options->arguments.front() != "reproduce")) {
            std::fprintf(stderr, "error: launch runs `train` (data-parallel) or `reproduce` (whole models per rank); docs/SCALING.md\n");
            exitCode = 2;
            return;
        }
        const int port = options->port > 0 ? options->port : freeLoopbackPort();
        char self[PATH_MAX] = {};
        if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) {
            std::fprintf(stderr, "error: cannot find this program's own path (/proc/self/exe)\n");
            exitCode = 1;
            return;
        }
        // Ctrl-C reaches every rank from the terminal; each stops at the same step and rank 0 checkpoints.
        signal(SIGINT, SIG_IGN);
        std::map<pid_t, int> ranks;
        for (int rank = 0; rank < options->processes; ++rank) {
            const pid_t child = fork();
            if (child == 0) {
                signal(SIGINT, SIG_DFL);
                setenv("RANK", std::to_string(rank).c_str(), 1);
                setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
                setenv("WORLD_SIZE", std::to_string(options->processes).c_str(), 1);
                setenv("MASTER_ADDR", "127.0.0.1", 1);
                setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
                std::vector<char*> argv{self};
                for (auto& argument : options->arguments) argv.push_back(argument.data());
                argv.push_back(nullptr);
                execv(self, argv.data());
                std::perror("saliency-cli launch: exec");
                _exit(127);
            }
            if (child < 0) {
                std::perror("saliency-cli launch: fork");
                exitCode = 1;
                break;
            }
            ranks[child] = rank;
        }
        int firstFailure = 0;
        std::chrono::steady_clock::time_point failedAt;
        while (!ranks.empty()) {
            int status = 0;
            const pid_t done = waitpid(-1, &status, WNOHANG);
            if (done > 0 && ranks.count(done)) {
                const int rank = ranks[done];
                ranks.erase(done);
                const bool failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                if (failed) {
                    std::fprintf(stderr, "saliency-cli launch: rank %d %s\n", rank, describeExit(status).c_str());
                    if (firstFailure == 0) {
                        firstFailure = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                        failedAt = std::chrono::steady_clock::now();
                    }
                }
                continue;
            }
            // The others notice a lost rank within their timeout; those still running after the grace period stop.
            if (firstFailure != 0 && std::chrono::steady_clock::now() - failedAt > std::chrono::seconds(options->graceSeconds)) {
                for (const auto& [pid, rank] : ranks) {
                    std::fprintf(stderr, "saliency-cli launch: terminating rank %d\n", rank);
                    kill(pid, SIGTERM);
                }
                failedAt = std::chrono::steady_clock::now();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        signal(SIGINT, SIG_DFL);
        if (exitCode == 0) exitCode = firstFailure;
    });
}

}  // namespace sw::cli
