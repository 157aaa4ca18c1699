#pragma once

#include <CLI/CLI.hpp>

namespace sw::cli {

/// Each adds its subcommand to `app`; the subcommand's callback runs the job and sets the exit code.
void addTrainCommand(CLI::App& app, int& exitCode);
void addAccuracyCommand(CLI::App& app, int& exitCode);  ///< `accuracy` (also `eval`)
void addInfoCommand(CLI::App& app, int& exitCode);
void addExplainCommand(CLI::App& app, int& exitCode);
void addSaliencyEvaluationCommand(CLI::App& app, int& exitCode);  ///< `evaluate`
void addStimuliCommand(CLI::App& app, int& exitCode);
void addLaunchCommand(CLI::App& app, int& exitCode);  ///< `launch --nproc N -- train …`
void addStudyCommands(CLI::App& app, int& exitCode);  ///< `study-html`, `study-import`, `study-report`
void addCurvesCommand(CLI::App& app, int& exitCode);
void addReproduceCommand(CLI::App& app, int& exitCode);
void addSliceCommand(CLI::App& app, int& exitCode);     ///< the local-geometry explorer's slice
void addTimelineCommand(CLI::App& app, int& exitCode);  ///< export recorded saliency timelines

}  // namespace sw::cli
