#include "study/StudyCommands.h"

#include <QDir>
#include <QFileInfo>

#include <filesystem>
#include <optional>

#include "study/ResponseStore.h"
#include "study/StudyFigure.h"
#include "study/StudyBundle.h"
#include "study/StudyFolder.h"
#include "study/StudyReport.h"
#include "widgets/OffscreenApplication.h"

namespace sw::ui {

StudyCommandOutcome importBrowserResponses(const std::string& studyFolder, const std::vector<std::string>& files) {
    const auto application = ensureOffscreenApplication();
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

StudyCommandOutcome writeStudyReportFolder(const std::string& studyFolder, std::string outputDir, uint64_t seed) {
    const auto application = ensureOffscreenApplication();
    try {
        const auto study = loadStudyFolder(studyFolder);
        // The stimuli and the bundle are checked whether or not there are responses yet: a stimulus changed
        // before any data came in is found before the study runs.
        std::string problems;
        for (const auto& problem : checkStudyBundle(study)) problems += "problem: " + problem + "\n";
        if (!std::filesystem::exists(std::filesystem::path(studyFolder) / kResponseDatabaseFile))
            return {false, problems + studyFolder + ": no responses yet (" + kResponseDatabaseFile + " does not exist)"};
        const auto conditions = loadStudyKey(studyFolder);
        std::vector<StudyResponse> responses;
        {
            ResponseStore store(study);
            responses = store.responses();
        }
        if (responses.empty()) return {false, problems + studyFolder + ": no responses yet"};
        if (outputDir.empty()) outputDir = (std::filesystem::path(studyFolder) / studyLayout::kReportFolder).string();
        const auto analysis = analyzeStudy(study, conditions, responses, seed);
        std::filesystem::create_directories(outputDir);
        const QDir out(QString::fromStdString(outputDir));
        std::string message;
        for (const auto* suffix : {".png", ".svg"}) {
            const QString problem = saveStudyFigure(analysis, study.settings, out.filePath(QString("ratings") + suffix));
            if (!problem.isEmpty()) message += "figure not written: " + problem.toStdString() + "\n";
        }
        const auto written = writeStudyReport(analysis, outputDir, "ratings.png");
        int excluded = 0;
        for (const auto& participant : analysis.participants) excluded += participant.excluded ? 1 : 0;
        const size_t people = analysis.participants.size();
        message += "analysed " + std::to_string(people) + (people == 1 ? " participant (" : " participants (") + std::to_string(excluded) +
                   " excluded by attention checks); the report is " + (std::filesystem::path(outputDir) / "report.html").string();
        if (!problems.empty())
            return {false, problems + message + "\nthe study folder has the problems above: check them before trusting the report"};
        return {true, message};
    } catch (const std::exception& error) {
        return {false, error.what()};
    }
}

}  // namespace sw::ui
