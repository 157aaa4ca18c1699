#include <iostream>

#include "Commands.h"
#include "util/SystemInfo.h"

int main(int argc, char** argv) {
    CLI::App app{
        "saliency-cli: train image classifiers (natural or adversarial, with or without feature-map "
        "smoothing), explain them with gradient saliency and measure the maps' sparseness and stability"};
    app.name("saliency-cli");
    app.require_subcommand(0, 1);
    // Global flags may also follow the subcommand (`saliency-cli train --deterministic …`).
    app.fallthrough();
    bool showVersion = false;
    bool deterministic = false;
    app.add_flag("--version", showVersion, "Print the program version, the LibTorch it runs on and its devices");
    app.add_flag("--deterministic", deterministic, "Repeatable results on GPUs: cuDNN autotuning off, deterministic algorithms (slower)");
    // Runs after parsing and before any command, so the setting holds for the whole job.
    app.parse_complete_callback([&] { sw::setDeterministic(deterministic); });
    int exitCode = 0;
    sw::cli::addTrainCommand(app, exitCode);
    sw::cli::addAccuracyCommand(app, exitCode);
    sw::cli::addInfoCommand(app, exitCode);
    sw::cli::addExplainCommand(app, exitCode);
    sw::cli::addSaliencyEvaluationCommand(app, exitCode);
    sw::cli::addCurvesCommand(app, exitCode);
    sw::cli::addReproduceCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    if (showVersion) {
        std::cout << sw::describeSystem(sw::querySystemInfo());
        return exitCode;
    }
    if (app.get_subcommands().empty()) {
        std::cerr << app.help();
        return 2;
    }
    return exitCode;
}
