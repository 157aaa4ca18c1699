#include "study/StudyCommands.h"

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "study/CoreApplication.h"
#include "study/ResponseStore.h"
#include "study/StudyBundle.h"
#include "study/StudyFolder.h"

namespace sw::ui {

StudyCommandOutcome importBrowserResponses(const std::string& studyFolder, const std::vector<std::string>& files) {
    const auto application = ensureCoreApplication();
    StudyCommandOutcome outcome;
    outcome.ok = true;
    try {
        const auto study = loadStudyFolder(studyFolder);
        // The database is opened (and created) only for a file that passed every check: a refused file
        // leaves the study folder as it was.
        std::optional<ResponseStore> store;
        for (const auto& file : files) {
            try {
                const auto download = readBrowserImport(study, QString::fromStdString(file));
                if (!store) store.emplace(study);
                outcome.message += store->importResponses(download).toStdString() + "\n";
            } catch (const StudyStoreError& error) {
                outcome.ok = false;
                outcome.message += std::string("not imported: ") + error.what() + "\n";
            }
        }
    } catch (const std::exception& error) {
        return {false, error.what()};
    }
    return outcome;
}

StudyAnalysis analyzeStudyFolder(const std::string& studyFolder, uint64_t seed) {
    const auto application = ensureCoreApplication();
    const auto study = loadStudyFolder(studyFolder);
    if (!std::filesystem::exists(std::filesystem::path(studyFolder) / kResponseDatabaseFile))
        throw std::runtime_error(studyFolder + ": no responses yet (" + kResponseDatabaseFile + " does not exist)");
    const auto conditions = loadStudyKey(studyFolder);
    std::vector<StudyResponse> responses;
    {
        ResponseStore store(study);
        responses = store.responses();
    }
    if (responses.empty()) throw std::runtime_error(studyFolder + ": no responses yet");
    return analyzeStudy(study, conditions, responses, seed);
}

StudyCommandOutcome writeStudyReportFolder(const std::string& studyFolder, const StudyFigureDrawer& drawFigure, std::string outputDir,
                                           uint64_t seed) {
    std::string problems;
    try {
        const auto study = loadStudyFolder(studyFolder);
        // The stimuli and the bundle are checked whether or not there are responses yet: a stimulus changed
        // before any data came in is found before the study runs.
        for (const auto& problem : checkStudyBundle(study)) problems += "problem: " + problem + "\n";
        const auto analysis = analyzeStudyFolder(studyFolder, seed);
        if (outputDir.empty()) outputDir = (std::filesystem::path(studyFolder) / studyLayout::kReportFolder).string();
        std::filesystem::create_directories(outputDir);
        std::string message = drawFigure(studyFolder, analysis, study.settings, outputDir, seed);
        writeStudyReport(analysis, outputDir, std::string(kRatingsFigureStem) + ".png");
        int excluded = 0;
        for (const auto& participant : analysis.participants) excluded += participant.excluded ? 1 : 0;
        const size_t people = analysis.participants.size();
        message += "analysed " + std::to_string(people) + (people == 1 ? " participant (" : " participants (") + std::to_string(excluded) +
                   " excluded by attention checks); the report is " + (std::filesystem::path(outputDir) / "report.html").string();
        if (!problems.empty())
            return {false, problems + message + "\nthe study folder has the problems above: check them before trusting the report"};
        return {true, message};
    } catch (const std::exception& error) {
        return {false, problems + error.what()};
    }
}

}  // namespace sw::ui
