#pragma once

#include <map>
#include <string>
#include <vector>

namespace sw {

/// A human study is the experimenter's folder (docs/STUDY.md, "Two folders"), which holds the participant
/// bundle as one of its subfolders. Plain C++, no torch and no Qt, so the GUI, the CLI and the tests share one
/// reader. The layout, in one place:
///
///   STUDY/study.json, orders.csv          the texts and questions, and the trial orders (blind codes only)
///   STUDY/private/key.json                what each blind code stands for (model, method): never sent
///   STUDY/private/manifest.{json,csv}     every stimulus' SHA-256, image, model hash, method and settings
///   STUDY/responses.sqlite, report/       the answers (the GUI writes them with Qt SQL) and their analysis
///   STUDY/participant/                    the bundle: study.html and stimuli/ — the one thing ever sent to
///                                         participants or put on a web server
namespace studyLayout {
constexpr const char* kSettingsFile = "study.json";
constexpr const char* kOrdersFile = "orders.csv";
constexpr const char* kPrivateFolder = "private";
constexpr const char* kKeyFile = "key.json";            ///< in kPrivateFolder
constexpr const char* kManifestFile = "manifest.json";  ///< in kPrivateFolder
constexpr const char* kManifestCsvFile = "manifest.csv";
constexpr const char* kBundleFolder = "participant";
constexpr const char* kPageFile = "study.html";    ///< in kBundleFolder
constexpr const char* kStimuliFolder = "stimuli";  ///< in kBundleFolder; stimulus paths are relative to the bundle
constexpr const char* kReportFolder = "report";
}  // namespace studyLayout

/// The responses of the study's participants, in the study folder (the GUI writes it with Qt SQL).
constexpr const char* kResponseDatabaseFile = "responses.sqlite";

/// The answer an attention-check trial asks for; its image says so, and the analysis excludes by it.
constexpr int kAttentionCheckAnswer = 1;

/// One question asked on every trial: a Likert item (1…points, with anchor words at both ends) or an
/// optional free text.
struct StudyQuestion {
    std::string id;               ///< the column the answers are stored under, e.g. "sufficient"
    std::string type = "likert";  ///< "likert" or "text"
    std::string text;
    int points = 7;
    std::string low = "strongly disagree";
    std::string high = "strongly agree";

    bool isLikert() const { return type == "likert"; }
};

/// study.json.
struct StudySettings {
    std::string title = "How convincing are these explanations?";
    std::string consent;
    std::string instructions;
    std::vector<StudyQuestion> questions;
    int breakEvery = 0;            ///< a break after every N trials (0 = none)
    int maxAttentionFailures = 0;  ///< a participant who fails more attention checks than this is excluded
};

/// The default study: the paper's two 7-point items ("sufficient", "trust"), a consent and instructions to edit.
StudySettings defaultStudySettings();
/// study.json's text (formatted, stable key order) and its reader; the reader throws InputError naming
/// `fileName` and what is wrong (not JSON, a missing title, no questions, a duplicate question id, …).
std::string studySettingsJson(const StudySettings& settings);
StudySettings parseStudySettings(const std::string& text, const std::string& fileName);

/// One trial of one order, as orders.csv lists it, with the stimulus' SHA-256 from the manifest.
struct StudyTrial {
    int trial = 0;
    std::string file;  ///< relative to the participant bundle, e.g. "stimuli/img03_c2.png"
    std::string sha256;
    int image = -1;         ///< −1 for an attention check
    std::string condition;  ///< blind code, "" for an attention check
    bool attentionCheck = false;
};

struct StudyFolder {
    std::string path;                 ///< the experimenter's folder
    std::string bundlePath() const;   ///< path/participant: what participants get
    std::string privatePath() const;  ///< path/private: the key and the manifest
    /// A stimulus file (as orders and the manifest name it) on disk, inside the bundle.
    std::string stimulusPath(const std::string& file) const;
    StudySettings settings;
    std::vector<std::vector<StudyTrial>> orders;    ///< orders[k]: the trials of order k, in presentation order
    std::map<std::string, std::string> fileHashes;  ///< manifest: file → SHA-256
    std::string studyId;  ///< 16 hex digits of the SHA-256 of manifest.json and orders.csv: names this stimulus set
};

/// Reads a study folder; throws InputError naming the file and the problem (a missing or damaged study.json,
/// orders.csv or manifest.json, an orders file naming a stimulus the manifest lacks, a folder of the earlier
/// one-folder layout, …). Does not hash the images; stimulusProblems() does.
StudyFolder loadStudyFolder(const std::string& folder);
/// One line per stimulus that is missing or whose SHA-256 differs from the manifest's ("stimuli/img03_c2.png:
/// SHA-256 differs from manifest.json (changed after the set was built?)"); empty when all match.
std::vector<std::string> stimulusProblems(const StudyFolder& study);

/// What a blind condition code stands for (key.json), for the analysis.
struct StudyCondition {
    std::string code;
    std::string model;   ///< the model file's name without its extension
    std::string method;  ///< as figures show it: "VG"
    std::string label;   ///< "lenet-adv-eps0.1 · VG"
};
/// key.json's conditions, ordered by code (c1, c2, …); throws InputError when key.json is missing or damaged.
std::vector<StudyCondition> loadStudyKey(const std::string& folder);

/// Writes study.json into the folder and study.html (the browser version with the settings and orders inside)
/// into its bundle, each atomically.
void writeStudyFiles(const std::string& folder, const StudySettings& settings);
/// Rewrites the bundle's study.html from the folder's current study.json and orders. The page carries the
/// experimenter's texts, the orders (files and blind codes) and the stimuli's own hashes: nothing of the key.
void writeStudyHtml(const StudyFolder& study);

}  // namespace sw
