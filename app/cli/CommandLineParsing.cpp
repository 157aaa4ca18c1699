#include "CommandLineParsing.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <sstream>

#include "distributed/RankReports.h"
#include "util/InputError.h"

namespace sw::cli {

namespace {
std::atomic<Feedback*> g_interruptTarget{nullptr};

extern "C" void cancelOnInterrupt(int) {
    if (auto* feedback = g_interruptTarget.load()) feedback->cancel();
}
}  // namespace

std::optional<std::array<int64_t, 3>> parseInputShape(const std::string& text) {
    if (text.empty()) return std::nullopt;
    std::string normalized = text;
    for (auto& c : normalized) {
        if (c == 'x' || c == 'X') c = ',';
    }
    const auto parts = splitCommaList(normalized);
    std::array<int64_t, 3> shape{};
    if (parts.size() != 3) throw InputError("--input-shape " + text, "expected C,H,W");
    for (size_t i = 0; i < 3; ++i) {
        try {
            shape[i] = std::stoll(parts[i]);
        } catch (const std::exception&) {
            throw InputError("--input-shape " + text, "expected C,H,W");
        }
        if (shape[i] <= 0) throw InputError("--input-shape " + text, "sizes must be positive");
    }
    return shape;
}

void TorchScriptFlags::addTo(CLI::App& command) {
    command.add_option("--input-shape", inputShape, "C,H,W for a TorchScript model without sidecar");
    command.add_option("--classes", classes, "Comma-separated class names for a TorchScript model");
}

void addComputeOptions(CLI::App& command, std::string& device, int& threads) {
    command.add_option("--device", device, "auto, cpu, cuda or cuda:N (auto: the first GPU if there is one)")->capture_default_str();
    command.add_option("--threads", threads, "CPU compute threads (0 = one per core)")->capture_default_str();
}

void addComputeOptions(CLI::App& command, std::string& device, int& threads, Precision& precision, bool forTraining) {
    addComputeOptions(command, device, threads);
    const std::string help = forTraining
                                 ? "Training arithmetic: fp32 (default), tf32 or bf16 (faster on GPUs; the final evaluation stays "
                                   "fp32; docs/TRAINING.md)"
                                 : "Arithmetic: fp32 (default: maps agree between CPU and GPU) or tf32 (faster on GPUs, changes maps "
                                   "by several %)";
    command
        .add_option_function<std::string>(
            "--precision",
            [&precision, forTraining](const std::string& name) {
                try {
                    precision = parsePrecision(name, forTraining);
                } catch (const std::exception& error) {
                    throw CLI::ValidationError("--precision", error.what());
                }
            },
            help)
        ->default_str("fp32");
}

InterruptCancels::InterruptCancels(Feedback& feedback) {
    g_interruptTarget.store(&feedback);
    std::signal(SIGINT, cancelOnInterrupt);
    std::signal(SIGTERM, cancelOnInterrupt);
}

InterruptCancels::~InterruptCancels() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_interruptTarget.store(nullptr);
}

namespace {

/// Levenshtein distance: letters changed, added or left out.
size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(previous, current);
    }
    return previous[b.size()];
}

void collectOptionNames(const CLI::App& app, std::vector<std::string>& names) {
    for (const auto* option : app.get_options()) {
        for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    }
    for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; })) collectOptionNames(*command, names);
}

}  // namespace

std::vector<std::string> suggestionsForUnknownOptions(const CLI::App& app, const std::vector<std::string>& arguments) {
    std::vector<std::string> known;
    collectOptionNames(app, known);
    std::vector<std::string> suggestions;
    for (const auto& argument : arguments) {
        if (argument.rfind("--", 0) != 0 || argument == "--") continue;
        const auto name = argument.substr(0, argument.find('='));
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        std::string best;
        size_t bestDistance = 3;  // two edits at most: further away, a guess would mislead more than help
        for (const auto& candidate : known) {
            const size_t distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        suggestions.push_back("unknown option " + name + (best.empty() ? "" : ": did you mean " + best + "?"));
    }
    return suggestions;
}

int reportOutcome(const JobResult& result) {
    // A rank started by `launch` or the GUI also tells its launcher how it ended (nothing otherwise).
    const auto kind = result.outcome == Outcome::Completed   ? RankResult::Kind::Completed
                      : result.outcome == Outcome::Cancelled ? RankResult::Kind::Cancelled
                      : result.peerLost                      ? RankResult::Kind::PeerLost
                                                             : RankResult::Kind::Failed;
    RankReporter().finish({kind, result.message});
    switch (result.outcome) {
    case Outcome::Completed:
        return 0;
    case Outcome::Cancelled:
        std::cerr << "Cancelled: " << result.message << "\n";
        return 130;
    case Outcome::Failed:
        std::cerr << "Error: " << result.message << "\n";
        return 1;
    }
    return 1;
}

bool parsedOrReported(int& exitCode, const std::function<void()>& parse) {
    try {
        parse();
        return true;
    } catch (const std::exception& error) {
        exitCode = reportOutcome(JobResult::failed(error.what()));
        return false;
    }
}

}  // namespace sw::cli
