#include "study/StudyFolder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "study/StudyHtmlTemplate.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"
#include "util/ListParsing.h"
#include "util/Sha256.h"

namespace sw {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kStudyFormat = "saliency-workbench-study/1";

std::string readWholeFile(const fs::path& path, const std::string& what) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw InputError(path.string(), "cannot be read (" + what + ")");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

json parseJsonFile(const fs::path& path, const std::string& what) {
    const auto text = readWholeFile(path, what);
    try {
        return json::parse(text);
    } catch (const json::parse_error& error) {
        throw InputError(path.string(), std::string("is not valid JSON (damaged?): ") + error.what());
    }
}

bool isPlainIdentifier(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '-'; });
}

json settingsToJson(const StudySettings& settings) {
    json questions = json::array();
    for (const auto& question : settings.questions) {
        json entry = {{"id", question.id}, {"type", question.type}, {"text", question.text}};
        if (question.isLikert()) {
            entry["points"] = question.points;
            entry["low"] = question.low;
            entry["high"] = question.high;
        }
        questions.push_back(entry);
    }
    return {{"format", kStudyFormat},
            {"title", settings.title},
            {"consent", settings.consent},
            {"instructions", settings.instructions},
            {"questions", questions},
            {"break_every", settings.breakEvery},
            {"max_attention_failures", settings.maxAttentionFailures}};
}

}  // namespace

StudySettings defaultStudySettings() {
    StudySettings settings;
    settings.consent =
        "This study is part of research on how people judge explanations of image classifiers. You will see pictures "
        "that a computer program classified, with the regions it relied on highlighted, and rate each one.\n\n"
        "Your answers are stored under a participant code, without your name. You may stop at any time without "
        "giving a reason.";
    settings.instructions =
        "Each screen shows a picture and, in colour, the regions the program relied on for its answer. Rate each "
        "statement from 1 (strongly disagree) to 7 (strongly agree).\n\n"
        "Use the number keys 1 to 7 or click; Backspace goes back to the previous statement; Enter moves on to "
        "the next picture. Some screens ask for a particular answer: please give it.";
    settings.questions = {{"sufficient", "likert", "The highlighted regions are sufficient to explain the prediction", 7,
                           "strongly disagree", "strongly agree"},
                          {"trust", "likert", "I trust this explanation", 7, "strongly disagree", "strongly agree"}};
    return settings;
}

std::string studySettingsJson(const StudySettings& settings) { return settingsToJson(settings).dump(2) + "\n"; }

StudySettings parseStudySettings(const std::string& text, const std::string& fileName) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        throw InputError(fileName, std::string("is not valid JSON (damaged?): ") + error.what());
    }
    if (!document.is_object()) throw InputError(fileName, "expected a JSON object with title, consent, instructions and questions");
    if (document.value("format", std::string()) != kStudyFormat)
        throw InputError(fileName, std::string("expected \"format\": \"") + kStudyFormat + "\"");
    StudySettings settings;
    try {
        settings.title = document.at("title").get<std::string>();
        settings.consent = document.value("consent", std::string());
        settings.instructions = document.value("instructions", std::string());
        settings.breakEvery = document.value("break_every", 0);
        settings.maxAttentionFailures = document.value("max_attention_failures", 0);
        std::set<std::string> ids;
        for (const auto& entry : document.at("questions")) {
            StudyQuestion question;
            question.id = entry.at("id").get<std::string>();
            question.type = entry.value("type", std::string("likert"));
            question.text = entry.at("text").get<std::string>();
            question.points = entry.value("points", 7);
            question.low = entry.value("low", question.low);
            question.high = entry.value("high", question.high);
            if (!isPlainIdentifier(question.id))
                throw InputError(fileName, "question id '" + question.id + "' must be letters, digits, _ or -");
            if (!ids.insert(question.id).second) throw InputError(fileName, "question id '" + question.id + "' appears twice");
            if (question.type != "likert" && question.type != "text")
                throw InputError(fileName, "question '" + question.id + "': type must be likert or text");
            if (question.isLikert() && (question.points < 2 || question.points > 9))
                throw InputError(fileName, "question '" + question.id + "': points must be 2 to 9 (one key each)");
            settings.questions.push_back(question);
        }
    } catch (const json::exception& error) {
        throw InputError(fileName, std::string("a field is missing or of the wrong type: ") + error.what());
    }
    if (settings.title.empty()) throw InputError(fileName, "the title is empty");
    if (std::none_of(settings.questions.begin(), settings.questions.end(), [](const auto& q) { return q.isLikert(); }))
        throw InputError(fileName, "needs at least one likert question");
    if (settings.breakEvery < 0) throw InputError(fileName, "break_every must be 0 (no breaks) or more");
    if (settings.maxAttentionFailures < 0) throw InputError(fileName, "max_attention_failures must be 0 or more");
    return settings;
}

std::string StudyFolder::bundlePath() const { return (fs::path(path) / studyLayout::kBundleFolder).string(); }

std::string StudyFolder::privatePath() const { return (fs::path(path) / studyLayout::kPrivateFolder).string(); }

std::string StudyFolder::stimulusPath(const std::string& file) const { return (fs::path(bundlePath()) / file).string(); }

StudyFolder loadStudyFolder(const std::string& folder) {
    const fs::path root(folder);
    if (!fs::is_directory(root)) throw InputError(folder, "is not a study folder (no such folder)");
    if (fs::exists(root / studyLayout::kKeyFile) && !fs::exists(root / studyLayout::kPrivateFolder)) {
        throw InputError(folder,
                         "is a study folder of the earlier layout, with key.json beside the stimuli; run `saliency-cli "
                         "study-bundle " +
                             folder + "` once to move the key into private/ and the stimuli into participant/");
    }
    StudyFolder study;
    study.path = folder;
    const auto settingsPath = root / studyLayout::kSettingsFile;
    study.settings = parseStudySettings(readWholeFile(settingsPath, "the study's texts and questions"), settingsPath.string());

    const auto manifestPath = fs::path(study.privatePath()) / studyLayout::kManifestFile;
    const auto manifestText = readWholeFile(manifestPath, "the stimuli's hashes");
    json manifest;
    try {
        manifest = json::parse(manifestText);
        for (const auto& entry : manifest) study.fileHashes[entry.at("file").get<std::string>()] = entry.at("sha256").get<std::string>();
    } catch (const json::exception& error) {
        throw InputError(manifestPath.string(), std::string("is damaged: ") + error.what());
    }

    const auto ordersPath = root / studyLayout::kOrdersFile;
    const auto ordersText = readWholeFile(ordersPath, "the participants' trial orders");
    const auto rows = parseCsv(ordersText, ordersPath.string());
    const std::vector<std::string> header = {"participant", "trial", "file", "image", "condition", "attention_check"};
    if (rows.empty() || rows.front() != header) throw InputError(ordersPath.string(), "expected the header " + joinCommaList(header));
    for (size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const auto where = ordersPath.string() + " line " + std::to_string(r + 1);
        if (row.size() != header.size()) throw InputError(where, "expected " + std::to_string(header.size()) + " fields");
        try {
            const auto order = std::stoul(row[0]);
            StudyTrial trial;
            trial.trial = std::stoi(row[1]);
            trial.file = row[2];
            trial.image = row[3].empty() ? -1 : std::stoi(row[3]);
            trial.condition = row[4];
            trial.attentionCheck = row[5] == "1";
            if (order > study.orders.size()) throw InputError(where, "orders must be numbered 0, 1, 2, … in turn");
            if (order == study.orders.size()) study.orders.emplace_back();
            if (size_t(trial.trial) != study.orders[order].size()) throw InputError(where, "trials must be numbered 0, 1, 2, … in turn");
            const auto hash = study.fileHashes.find(trial.file);
            if (hash == study.fileHashes.end()) throw InputError(where, trial.file + " is not in manifest.json");
            trial.sha256 = hash->second;
            study.orders[order].push_back(trial);
        } catch (const std::logic_error&) {
            throw InputError(where, "expected numbers in the participant, trial and image columns");
        }
    }
    if (study.orders.empty()) throw InputError(ordersPath.string(), "lists no trials");
    study.studyId = sha256Hex(manifestText + ordersText).substr(0, 16);
    return study;
}

std::vector<std::string> stimulusProblems(const StudyFolder& study) {
    std::vector<std::string> problems;
    for (const auto& [file, sha256] : study.fileHashes) {
        const fs::path path = study.stimulusPath(file);
        const auto name = (fs::path(studyLayout::kBundleFolder) / file).string();
        if (!fs::is_regular_file(path)) {
            problems.push_back(name + ": missing (listed in private/manifest.json)");
        } else if (sha256OfFile(path) != sha256) {
            problems.push_back(name + ": SHA-256 differs from private/manifest.json (changed after the set was built?)");
        }
    }
    return problems;
}

std::vector<StudyCondition> loadStudyKey(const std::string& folder) {
    const auto keyPath = fs::path(folder) / studyLayout::kPrivateFolder / studyLayout::kKeyFile;
    const auto key = parseJsonFile(keyPath, "the condition key, kept by the experimenter");
    std::vector<StudyCondition> conditions;
    try {
        for (const auto& [code, entry] : key.items()) {
            StudyCondition condition;
            condition.code = code;
            condition.model = fs::path(entry.at("model").get<std::string>()).stem().string();
            condition.method = entry.at("method").get<std::string>();
            std::string methodName = condition.method;
            std::transform(methodName.begin(), methodName.end(), methodName.begin(), [](char c) { return char(std::toupper(c)); });
            condition.method = methodName;
            condition.label = condition.model + " · " + methodName;
            conditions.push_back(condition);
        }
    } catch (const json::exception& error) {
        throw InputError(keyPath.string(), std::string("is damaged: ") + error.what());
    }
    // c1, c2, …, c10: by number, not by text.
    std::sort(conditions.begin(), conditions.end(),
              [](const auto& a, const auto& b) { return std::make_pair(a.code.size(), a.code) < std::make_pair(b.code.size(), b.code); });
    return conditions;
}

void writeStudyHtml(const StudyFolder& study) {
    json orders = json::array();
    for (const auto& trials : study.orders) {
        json list = json::array();
        for (const auto& trial : trials) {
            list.push_back(
                {{"trial", trial.trial}, {"file", trial.file}, {"sha256", trial.sha256}, {"attention_check", trial.attentionCheck}});
        }
        orders.push_back(list);
    }
    json studyJson = settingsToJson(study.settings);
    studyJson["attention_answer"] = kAttentionCheckAnswer;
    const json data = {
        {"format", "saliency-workbench-html-study/1"}, {"study_id", study.studyId}, {"study", studyJson}, {"orders", orders}};
    // No "<" at all inside the <script> element that carries the data ("</script>" or "<!--" would end or
    // confuse it); \u003c is the same character to JSON.
    std::string embedded;
    for (const char c : data.dump()) embedded += c == '<' ? std::string("\\u003c") : std::string(1, c);

    std::string page = studyHtmlTemplate();
    const std::string placeholder = "@STUDY_DATA@";
    const auto at = page.find(placeholder);
    if (at == std::string::npos) throw std::logic_error("the study page template lacks its data placeholder");
    page.replace(at, placeholder.size(), embedded);
    fs::create_directories(study.bundlePath());
    writeTextFileAtomically(fs::path(study.bundlePath()) / studyLayout::kPageFile, page);
}

void writeStudyFiles(const std::string& folder, const StudySettings& settings) {
    writeTextFileAtomically(fs::path(folder) / studyLayout::kSettingsFile, studySettingsJson(settings));
    writeStudyHtml(loadStudyFolder(folder));
}

}  // namespace sw
