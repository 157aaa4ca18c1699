// saliency-figures: draws report figures with the workbench's own plotting widgets, offscreen, for saliency-cli.
// The command line links no widget library (docs/ARCHITECTURE.md); when a report needs figures it runs this
// program, which saliency-cli finds next to itself or in ../libexec/saliency-workbench.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "stability/ReportFigures.h"
#include "study/StudyCommands.h"
#include "study/StudyFigure.h"
#include "study/StudyFolder.h"
#include "util/ListParsing.h"
#include "widgets/OffscreenApplication.h"

int main(int argc, char** argv) {
    // One offscreen application for the whole run: the plots are widgets, and the response database's driver
    // needs an application too.
    const auto application = sw::ui::ensureOffscreenApplication();
    CLI::App app{"saliency-figures: draws the figures of saliency-cli's reports offscreen (run by saliency-cli, not by hand)"};
    app.name("saliency-figures");
    app.require_subcommand(1);
    int exitCode = 0;
    // Each command returns its problems (one line each); this prints them, or the exception, and sets the exit code.
    const auto runReporting = [&exitCode](const std::function<std::string()>& drawFigures) {
        std::string problems;
        try {
            problems = drawFigures();
        } catch (const std::exception& error) {
            problems = std::string(error.what()) + "\n";
        }
        if (problems.empty()) return;
        std::fprintf(stderr, "saliency-figures: %s", problems.c_str());
        exitCode = 1;
    };

    std::vector<std::string> folders;
    std::string indices = "0,1,2";
    int64_t igSteps = 50;
    auto* reproduction = app.add_subcommand("reproduction", "A reproduction folder's figures: FOLDER/figures/*.png, *.svg, figures.json");
    reproduction->add_option("folders", folders, "Reproduction folders (a seed's or the study's)")->required();
    reproduction->add_option("--images", indices, "Test images of the overlay grids")->capture_default_str();
    reproduction->add_option("--ig-steps", igSteps, "Integrated Gradients steps, as the evaluations used")->capture_default_str();
    reproduction->callback([&] {
        runReporting([&] {
            const auto images = sw::parseIndexList(indices, "--images");
            std::string problems;
            for (const auto& folder : folders) {
                const auto problem = sw::ui::renderReportFigures(folder, images, igSteps);
                if (!problem.empty()) problems += folder + ": " + problem + "\n";
            }
            return problems;
        });
    });

    std::string study;
    std::string reportFolder;
    uint64_t seed = 0;
    auto* ratings = app.add_subcommand("study-ratings", "A study report's ratings figure (ratings.png and .svg in the report folder)");
    ratings->add_option("study", study, "Study folder")->required();
    ratings->add_option("--out", reportFolder, "Report folder")->required();
    ratings->add_option("--seed", seed, "Seed of the bootstrap resamples, as the report's")->capture_default_str();
    ratings->callback([&] {
        runReporting([&] {
            return sw::ui::saveStudyRatingsFigures(sw::ui::analyzeStudyFolder(study, seed), sw::loadStudyFolder(study).settings,
                                                   reportFolder);
        });
    });

    CLI11_PARSE(app, argc, argv);
    return exitCode;
}
