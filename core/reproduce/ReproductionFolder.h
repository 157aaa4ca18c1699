#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sw {

/// The files of a reproduction folder, named in one place (docs/REPRODUCTION.md, "The folder"). A folder is
/// either one run — plan.json, workspace.json, models/NAME.swm, evaluations/MODEL.METHOD.json, runs.log and the
/// report's files — or a seed study: study.json lists its seed folders ("seed-N"), each one run, and the folder
/// holds the report across them. Plain paths: the GUI reads it too.
class ReproductionFolder {
public:
    explicit ReproductionFolder(std::filesystem::path root) : m_root(std::move(root)) {}

    const std::filesystem::path& root() const { return m_root; }

    std::filesystem::path planFile() const { return m_root / "plan.json"; }
    std::filesystem::path workspaceFile() const { return m_root / "workspace.json"; }
    std::filesystem::path runsLog() const { return m_root / "runs.log"; }
    std::filesystem::path modelsFolder() const { return m_root / "models"; }
    std::filesystem::path modelFile(const std::string& model) const { return modelsFolder() / (model + ".swm"); }
    /// The model file as workspace.json names it, relative to the folder.
    static std::string relativeModelFile(const std::string& model) { return "models/" + model + ".swm"; }
    std::filesystem::path evaluationsFolder() const { return m_root / "evaluations"; }
    std::filesystem::path evaluationFile(const std::string& model, const std::string& method) const {
        return evaluationsFolder() / (model + "." + method + ".json");
    }
    /// An evaluation's model name, from its file name: "adv-eps0.1" for evaluations/adv-eps0.1.ig.json.
    static std::string modelOfEvaluation(const std::filesystem::path& evaluation);
    /// Every evaluations/*.json, sorted by name.
    std::vector<std::filesystem::path> evaluationFiles() const;

    std::filesystem::path summaryCsv() const { return m_root / "summary.csv"; }
    std::filesystem::path curvesCsv() const { return m_root / "curves.csv"; }
    std::filesystem::path claimsFile() const { return m_root / "claims.json"; }
    std::filesystem::path reportMarkdown() const { return m_root / "report.md"; }
    std::filesystem::path reportHtml() const { return m_root / "report.html"; }
    std::filesystem::path figuresFolder() const { return m_root / "figures"; }
    std::filesystem::path figureIndex() const { return figuresFolder() / "figures.json"; }

    std::filesystem::path studyFile() const { return m_root / "study.json"; }
    /// True for a seed study: the folder holds study.json.
    bool isSeedStudy() const;
    /// "seed-N": a seed's folder, relative to the study's.
    static std::string seedFolderName(uint64_t seed);
    ReproductionFolder seedFolder(uint64_t seed) const { return ReproductionFolder(m_root / seedFolderName(seed)); }
    /// The seed folders study.json lists, relative to this folder ("seed-0", …). Throws InputError naming
    /// study.json when it cannot be read or lists none.
    std::vector<std::string> seedFolderNames() const;

private:
    std::filesystem::path m_root;
};

}  // namespace sw
