#include "CommandLineParsing.h"

#include <atomic>
#include <iostream>
#include <sstream>

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

int reportOutcome(const JobResult& result) {
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
