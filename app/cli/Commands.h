#pragma once

#include <CLI/CLI.hpp>

namespace sw::cli {

/// Each adds its subcommand to `app`; the subcommand's callback runs the job and sets the exit code.
void addTrainCommand(CLI::App& app, int& exitCode);
void addEvalCommand(CLI::App& app, int& exitCode);
void addInfoCommand(CLI::App& app, int& exitCode);
void addExplainCommand(CLI::App& app, int& exitCode);
void addEvaluateCommand(CLI::App& app, int& exitCode);
void addCurvesCommand(CLI::App& app, int& exitCode);
void addReproduceCommand(CLI::App& app, int& exitCode);

}  // namespace sw::cli
