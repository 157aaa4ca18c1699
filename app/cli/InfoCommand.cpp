#include <iostream>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "jobs/ModelInfo.h"
#include "util/InputError.h"
#include "util/ComputeDevice.h"
#include "util/SystemInfo.h"

namespace sw::cli {

void addInfoCommand(CLI::App& app, int& exitCode) {
    auto* command =
        app.add_subcommand("info",
                           "Print a model file's description (architecture, recipe, metrics, the feature layers CAMs can use and "
                           "the methods it allows), "
                           "or with --system the program, LibTorch and device versions");
    command->footer("Examples:\n  saliency-cli info robust.swm\n  saliency-cli info --system");
    struct Options {
        std::string model;
        bool system = false;
        std::string device = "auto";
        int threads = 0;
        TorchScriptFlags torchScript;
    };
    auto options = std::make_shared<Options>();
    command->add_option("model", options->model, "Native model file or TorchScript file");
    command->add_flag("--system", options->system,
                      "Program version, LibTorch version, whether CUDA and cuDNN are available, and the devices");
    addComputeOptions(*command, options->device, options->threads);
    options->torchScript.addTo(*command);
    command->callback([options, &exitCode] {
        try {
            if (options->model.empty() && !options->system) {
                throw InputError("info", "give a model file, or --system for the program and its devices");
            }
            if (options->system) {
                prepareCpuCompute(options->threads);
                const auto selected = describeDevice(options->device);  // throws for a device that is not there
                std::cout << describeSystem(querySystemInfo());
                std::cout << "Selected device (--device " << options->device << "): " << selected << "\n";
            }
            if (!options->model.empty()) {
                std::cout << describeModelFile(options->model, options->torchScript.shape(), options->torchScript.classNames()) << "\n";
            }
        } catch (const std::exception& error) {
            exitCode = reportOutcome(JobResult::failed(error.what()));
        }
    });
}

}  // namespace sw::cli
