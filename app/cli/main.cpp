#include <iostream>

#include "Commands.h"

int main(int argc, char** argv) {
    CLI::App app{"saliency-cli: train image classifiers (natural or adversarial, with or without feature-map "
                 "smoothing), explain them with gradient saliency and measure the maps' sparseness and stability"};
    app.require_subcommand(1);
    int exitCode = 0;
    sw::cli::addTrainCommand(app, exitCode);
    sw::cli::addEvalCommand(app, exitCode);
    sw::cli::addInfoCommand(app, exitCode);
    sw::cli::addExplainCommand(app, exitCode);
    sw::cli::addEvaluateCommand(app, exitCode);
    sw::cli::addCurvesCommand(app, exitCode);
    sw::cli::addReproduceCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    return exitCode;
}
