#pragma once

#include <array>
#include <csignal>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "jobs/JobEdge.h"
#include "util/Precision.h"
#include "util/ListParsing.h"

namespace sw::cli {

/// "1,28,28" or "1x28x28" → {1, 28, 28}; throws InputError naming the option.
std::optional<std::array<int64_t, 3>> parseInputShape(const std::string& text);
/// "a,b,c" → {"a", "b", "c"}.

/// --input-shape and --classes, for TorchScript models saved without a JSON sidecar.
struct TorchScriptFlags {
    std::string inputShape;
    std::string classes;

    void addTo(CLI::App& command);
    /// Throws InputError naming the option when --input-shape is malformed.
    std::optional<std::array<int64_t, 3>> shape() const { return parseInputShape(inputShape); }
    std::vector<std::string> classNames() const { return splitCommaList(classes); }
};

/// --device and --threads, which every command that computes takes.
void addComputeOptions(CLI::App& command, std::string& device, int& threads);
/// The same and --precision: fp32 (default) or tf32, and bf16 too `forTraining` (util/Precision.h).
void addComputeOptions(CLI::App& command, std::string& device, int& threads, Precision& precision, bool forTraining = false);

/// Ctrl-C cancels the job through its feedback object instead of killing the process, so checkpoints
/// and output files stay whole. Installed for the lifetime of the object.
class InterruptCancels {
public:
    explicit InterruptCancels(Feedback& feedback);
    ~InterruptCancels();
};

/// For each option in `arguments` that no command of `app` knows, "unknown option --metod: did you mean
/// --method?" when a known one is a typo away (at most two letters changed, added or left out).
std::vector<std::string> suggestionsForUnknownOptions(const CLI::App& app, const std::vector<std::string>& arguments);

/// Prints "Error: <message>" to stderr and returns the exit code for an outcome. In a rank started by a
/// launcher (SW_PROGRESS_FD), also sends the outcome to the launcher as the rank's result.
int reportOutcome(const JobResult& result);

/// Runs `parse` (reading options into a request); if it throws, reports the error, sets `exitCode` and
/// returns false, so a command callback can stop before starting its job.
bool parsedOrReported(int& exitCode, const std::function<void()>& parse);

}  // namespace sw::cli
