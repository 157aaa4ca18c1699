#include "study/StudyCommands.h"

#include <QDir>
#include <QFileInfo>

#include <filesystem>

#include "study/ResponseStore.h"
#include "study/StudyFigure.h"
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
        ResponseStore store(study);
        for (const auto& file : files) {
            try {
                outcome.message += store.importBrowserFile(QString::fromStdString(file)).toStdString() + "\n";
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
        if (!std::filesystem::exists(std::filesystem::path(studyFolder) / kResponseDatabaseFile))
            return {false, studyFolder + ": no responses yet (" + kResponseDatabaseFile + " does not exist)"};
        const auto conditions = loadStudyKey(studyFolder);
        std::vector<StudyResponse> responses;
        {
            ResponseStore store(study);
            responses = store.responses();
        }
        if (responses.empty()) return {false, studyFolder + ": no responses yet"};
        if (outputDir.empty()) outputDir = (std::filesystem::path(studyFolder) / "report").string();
        const auto analysis = analyzeStudy(study, conditions, responses, seed);
        std::filesystem::create_directories(outputDir);
        const QDir out(QString::fromStdString(outputDir));
        std::string message;
        for (const auto* suffix : {".png", ".svg"}) {
            const QString problem = saveStudyFigure(analysis, study.settings, out.filePath(QString("ratings") + suffix));
            if (!problem.isEmpty()) message += "figure not written: " + problem.toStdString() + "\n";
        }
        const auto written = writeStudyReport(analysis, outputDir, "ratings.png");
        for (const auto& problem : stimulusProblems(study)) message += "warning: " + problem + "\n";
        int excluded = 0;
        for (const auto& participant : analysis.participants) excluded += participant.excluded ? 1 : 0;
        message += "analysed " + std::to_string(analysis.participants.size()) + " participants (" + std::to_string(excluded) +
                   " excluded by attention checks); the report is " + (std::filesystem::path(outputDir) / "report.html").string();
        return {true, message};
    } catch (const std::exception& error) {
        return {false, error.what()};
    }
}

}  // namespace sw::ui
