#include <iostream>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "data/DatasetSpec.h"
#include "util/Resources.h"
#include "util/SystemInfo.h"

int main(int argc, char** argv) {
    CLI::App app{
        "saliency-cli: train image classifiers (natural or adversarial, with or without feature-map "
        "smoothing), explain them with gradient saliency and measure the maps' sparseness and stability"};
    app.name("saliency-cli");
    app.footer(std::string("Dataset specs (--dataset):\n"
                           "  fmnist[:DIR][:split]        Fashion-MNIST; without DIR Debian's dataset-fashion-mnist (") +
               sw::kDebianFashionMnistDir +
               ")\n"
               "  mnist[:DIR][:split]         MNIST IDX files\n"
               "  cifar10:DIR[:split]         CIFAR-10 binary batches\n"
               "  imagefolder:DIR[:split]     DIR/<class>/<image>, split folders train/ and val/\n"
               "  image:FILE                  one image file\n"
               "  shapes[:N][:seed]           N generated shapes (no download; for trying things out)\n"
               "  split is train or test (val for image folders)\n\n"
               "Examples:\n"
               "  saliency-cli train --dataset fmnist --adv pgd --eps 0.1 --smooth gaussian --out robust.swm\n"
               "  saliency-cli explain --model robust.swm --dataset fmnist:test --indices 0-9 --method ig --png --out maps\n"
               "  saliency-cli evaluate --model robust.swm --limit 200 --json evaluation.json\n"
               "  saliency-cli reproduce --preset fmnist --budget quick --out runs/reproduction\n\n"
               "Each command's --help lists its options and an example.");
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
    sw::cli::addSliceCommand(app, exitCode);
    sw::cli::addTimelineCommand(app, exitCode);
    sw::cli::addReproduceCommand(app, exitCode);
    sw::cli::addStimuliCommand(app, exitCode);
    sw::cli::addStudyCommands(app, exitCode);
    sw::cli::addLaunchCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int status = app.exit(error);
        if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
            for (const auto& suggestion : sw::cli::suggestionsForUnknownOptions(app, std::vector<std::string>(argv + 1, argv + argc)))
                std::cerr << "saliency-cli: " << suggestion << "\n";
        }
        return status;
    }
    if (showVersion) {
        std::cout << sw::describeSystem(sw::querySystemInfo());
        const auto figureHelper = sw::findHelperProgram("saliency-figures");
        std::cout << "Report figures: "
                  << (figureHelper.empty() ? "none (saliency-figures not found; a build without the GUI)" : figureHelper) << "\n";
        return exitCode;
    }
    if (app.get_subcommands().empty()) {
        std::cerr << app.help();
        return 2;
    }
    return exitCode;
}
