#include <iostream>

#include "Commands.h"

int main(int argc, char** argv) {
    CLI::App app{"saliency-cli: train image classifiers, with or without adversarial training and feature-map "
                 "smoothing, and inspect them"};
    app.require_subcommand(1);
    int exitCode = 0;
    sw::cli::addTrainCommand(app, exitCode);
    sw::cli::addEvalCommand(app, exitCode);
    sw::cli::addInfoCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    return exitCode;
}
