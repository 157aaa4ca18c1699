#include <cstdio>

#include "CommandLineParsing.h"
#include "Commands.h"
#include "study/StudyBundle.h"
#include "study/StudyFolder.h"
#include "util/InputError.h"

#ifdef SW_HAVE_STUDY_STORE
#include "FigureHelper.h"
#include "study/StudyCommands.h"
#endif

namespace sw::cli {

namespace {

/// Import and report read the response database with Qt SQL, which only the GUI build has.
int withoutQt(const char* command) {
    std::fprintf(stderr, "error: %s needs the GUI build (Qt SQL reads the responses); build with -DSW_BUILD_GUI=ON\n", command);
    return 1;
}

int printOutcome(bool ok, const std::string& message) {
    std::fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "error: ", message.c_str());
    return ok ? 0 : 1;
}

#ifdef SW_HAVE_STUDY_STORE
int importResponses(const std::string& folder, const std::vector<std::string>& files) {
    const auto outcome = ui::importBrowserResponses(folder, files);
    return printOutcome(outcome.ok, outcome.message);
}

int writeReport(const std::string& folder, const std::string& output, uint64_t seed) {
    // The figure helper draws the ratings figure from the same responses and seed, so it shows the report's numbers.
    const ui::StudyFigureDrawer drawWithHelper = [](const std::string& study, const StudyAnalysis&, const StudySettings&,
                                                    const std::string& reportFolder, uint64_t bootstrapSeed) -> std::string {
        const auto problem = runFigureHelper({"study-ratings", study, "--out", reportFolder, "--seed", std::to_string(bootstrapSeed)});
        return problem.empty() ? "" : "figure not drawn: " + problem + "\n";
    };
    const auto outcome = ui::writeStudyReportFolder(folder, drawWithHelper, output, seed);
    return printOutcome(outcome.ok, outcome.message);
}
#else
int importResponses(const std::string&, const std::vector<std::string>&) { return withoutQt("study-import"); }
int writeReport(const std::string&, const std::string&, uint64_t) { return withoutQt("study-report"); }
#endif

}  // namespace

void addStudyCommands(CLI::App& app, int& exitCode) {
    auto folder = std::make_shared<std::string>();

    auto* html = app.add_subcommand("study-html", "Rewrite a study's study.html (the browser study) after editing its study.json");
    html->footer("Example:\n  saliency-cli study-html study");
    html->add_option("study", *folder, "Study folder (written by saliency-cli stimuli)")->required();
    html->callback([folder, &exitCode] {
        try {
            writeStudyHtml(loadStudyFolder(*folder));
            exitCode = printOutcome(true, "wrote " + *folder + "/" + studyLayout::kBundleFolder + "/" + studyLayout::kPageFile);
        } catch (const std::exception& error) {
            exitCode = printOutcome(false, error.what());
        }
    });

    auto* check = app.add_subcommand("study-check",
                                     "Check the participant bundle before it is sent: every stimulus matches the manifest, the "
                                     "bundle holds exactly what the orders need, and nothing in it names a model or method of the key");
    check->footer("Example:\n  saliency-cli study-check study");
    check->add_option("study", *folder, "Study folder")->required();
    check->callback([folder, &exitCode] {
        try {
            const auto study = loadStudyFolder(*folder);
            const auto problems = checkStudyBundle(study);
            for (const auto& problem : problems) std::fprintf(stderr, "problem: %s\n", problem.c_str());
            exitCode = problems.empty() ? printOutcome(true, "ok: " + *folder + "/" + studyLayout::kBundleFolder +
                                                                 " holds study.html and " + std::to_string(study.fileHashes.size()) +
                                                                 " stimuli that match the manifest, and nothing of the key")
                                        : printOutcome(false, std::to_string(problems.size()) + " problem(s): do not send the bundle yet");
        } catch (const std::exception& error) {
            exitCode = printOutcome(false, error.what());
        }
    });

    auto zip = std::make_shared<std::string>();
    auto* bundle = app.add_subcommand("study-bundle",
                                      "Write the participant bundle (STUDY/participant: study.html and the stimuli, nothing else), "
                                      "check it, and pack it as a zip to send or host; moves a study folder of the earlier layout first");
    bundle->footer(
        "Examples:\n  saliency-cli study-bundle study                        (rewrites study/participant/study.html and checks it)\n"
        "  saliency-cli study-bundle study --zip study-online.zip   (the file to send; never the study folder)");
    bundle->add_option("study", *folder, "Study folder")->required();
    bundle->add_option("--zip", *zip, "Also write the bundle as this zip file");
    bundle->callback([folder, zip, &exitCode] {
        try {
            if (migrateStudyFolder(*folder)) std::printf("moved the key and the manifest into %s/private\n", folder->c_str());
            const auto study = loadStudyFolder(*folder);
            writeStudyHtml(study);
            if (zip->empty()) {
                const auto problems = checkStudyBundle(study);
                for (const auto& problem : problems) std::fprintf(stderr, "problem: %s\n", problem.c_str());
                exitCode = problems.empty()
                               ? printOutcome(true, "ok: send or host " + study.bundlePath() + " (never the study folder)")
                               : printOutcome(false, std::to_string(problems.size()) + " problem(s): do not send the bundle yet");
                return;
            }
            writeStudyBundleZip(study, *zip);
            exitCode = printOutcome(true, "wrote " + *zip + ": send or host this file (never the study folder)");
        } catch (const std::exception& error) {
            exitCode = printOutcome(false, error.what());
        }
    });

    auto files = std::make_shared<std::vector<std::string>>();
    auto* importCommand = app.add_subcommand("study-import",
                                             "Import the files the browser study downloads (responses-*.json or .csv) into the study's "
                                             "responses.sqlite; duplicates are refused, hashes checked against the manifest");
    importCommand->footer("Example:\n  saliency-cli study-import study ~/Downloads/responses-P07-3f2a9c1d.json");
    importCommand->add_option("study", *folder, "Study folder")->required();
    importCommand->add_option("files", *files, "Downloaded response files (.json or .csv)")->required();
    importCommand->callback([folder, files, &exitCode] { exitCode = importResponses(*folder, *files); });

    auto output = std::make_shared<std::string>();
    auto seed = std::make_shared<uint64_t>(0);
    auto* report = app.add_subcommand("study-report",
                                      "Analyse a study's responses: per condition and question n, mean, median and a bootstrap "
                                      "interval, Friedman and pairwise Wilcoxon tests (Holm), exclusions by attention checks; "
                                      "CSV, Markdown, HTML and a figure");
    report->footer("Example:\n  saliency-cli study-report study            (writes study/report/report.html)");
    report->add_option("study", *folder, "Study folder")->required();
    report->add_option("--out", *output, "Report folder (default: STUDY/report)");
    report->add_option("--seed", *seed, "Seed of the bootstrap resamples")->capture_default_str();
    report->callback([folder, output, seed, &exitCode] { exitCode = writeReport(*folder, *output, *seed); });
}

}  // namespace sw::cli
