#include <iostream>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "jobs/EvalJob.h"
#include "util/InputError.h"

namespace sw::cli {

void addInfoCommand(CLI::App& app, int& exitCode) {
    auto* command = app.add_subcommand("info", "Print a model file's description (architecture, recipe, metrics)");
    struct Options {
        std::string model;
        TorchScriptFlags torchScript;
    };
    auto options = std::make_shared<Options>();
    command->add_option("model", options->model, "Native model file or TorchScript file")->required();
    options->torchScript.addTo(*command);
    command->callback([options, &exitCode] {
        try {
            std::cout << describeModelFile(options->model, options->torchScript.shape(), options->torchScript.classNames())
                      << "\n";
        } catch (const std::exception& error) {
            exitCode = reportOutcome(JobResult::failed(error.what()));
        }
    });
}

}  // namespace sw::cli
