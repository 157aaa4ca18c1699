#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "distributed/LocalRanks.h"

namespace sw::cli {

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
        char self[PATH_MAX] = {};
        if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) {
            std::fprintf(stderr, "error: cannot find this program's own path (/proc/self/exe)\n");
            exitCode = 1;
            return;
        }
        LocalLaunchOptions launch;
        launch.program = self;
        launch.arguments = options->arguments;
        launch.processes = options->processes;
        launch.masterPort = options->port;
        launch.graceSeconds = options->graceSeconds;
        // Ctrl-C (or SIGTERM from a scheduler) reaches every rank; each stops at the same step and rank 0 checkpoints.
        Feedback feedback;
        InterruptCancels interrupts(feedback);
        std::vector<bool> reported(size_t(options->processes), false);
        try {
            const auto ranks = runLocalRanks(
                launch,
                [&](const std::vector<RankState>& states) {
                    for (const auto& rank : states) {
                        if (rank.phase != RankState::Phase::Failed || reported[size_t(rank.rank)]) continue;
                        reported[size_t(rank.rank)] = true;
                        std::fprintf(stderr, "saliency-cli launch: rank %d %s\n", rank.rank, describeExit(rank).c_str());
                    }
                },
                &feedback);
            const auto verdict = judgeLaunch(ranks);
            if (verdict.cause) {
                std::fprintf(stderr, "saliency-cli launch: the run failed because of rank %d (all failures: %s)\n", *verdict.cause,
                             verdict.failures.c_str());
            }
            exitCode = verdict.exitCode;
        } catch (const std::exception& error) {
            std::fprintf(stderr, "error: %s\n", error.what());
            exitCode = 1;
        }
    });
}

}  // namespace sw::cli
