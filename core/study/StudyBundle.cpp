#include "study/StudyBundle.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "explain/SaliencyMethods.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace sw {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string readBytes(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return bytes.str();
}

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

/// What would unblind a participant, from the key: each needle with whether it must stand as a word (short
/// method ids such as "ig" occur inside ordinary words).
struct KeyNeedles {
    std::set<std::string> anywhere;  ///< lower case; matched as substrings
    std::set<std::string> asWords;   ///< lower case; matched with no letter or digit on either side
};

KeyNeedles needlesOf(const StudyFolder& study) {
    const auto keyPath = fs::path(study.privatePath()) / studyLayout::kKeyFile;
    std::ifstream file(keyPath);
    if (!file) throw InputError(keyPath.string(), "cannot be read (the condition key, kept by the experimenter)");
    json key;
    try {
        key = json::parse(file);
    } catch (const json::exception& error) {
        throw InputError(keyPath.string(), std::string("is damaged: ") + error.what());
    }
    KeyNeedles needles;
    const auto addText = [&](const std::string& text) {
        // Shorter texts than this are ordinary words ("adv"); the ids that are short get word matching instead.
        if (text.size() >= 4) needles.anywhere.insert(lowered(text));
    };
    for (const auto& [code, entry] : key.items()) {
        const auto model = entry.value("model", std::string());
        addText(model);
        addText(fs::path(model).filename().string());
        addText(fs::path(model).stem().string());
        addText(entry.value("model_sha256", std::string()));
        addText(entry.value("badge", std::string()));
        const auto method = entry.value("method", std::string());
        if (method.empty()) continue;
        needles.asWords.insert(lowered(method));
        for (const auto& known : saliencyMethods()) {
            if (known.id != method) continue;
            needles.asWords.insert(lowered(known.name));
            addText(known.fullName);
        }
    }
    return needles;
}

bool isWordCharacter(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

/// The first needle found in `text`, or empty.
std::string firstNeedleIn(const std::string& text, const KeyNeedles& needles, bool wholeText) {
    const auto haystack = lowered(text);
    for (const auto& needle : needles.anywhere) {
        // In binary files only long needles count: short ones turn up in compressed bytes by chance.
        if ((wholeText || needle.size() >= 8) && haystack.find(needle) != std::string::npos) return needle;
    }
    if (!wholeText) return {};
    for (const auto& needle : needles.asWords) {
        for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
            const bool startsWord = at == 0 || !isWordCharacter(haystack[at - 1]);
            const size_t end = at + needle.size();
            const bool endsWord = end == haystack.size() || !isWordCharacter(haystack[end]);
            if (startsWord && endsWord) return needle;
        }
    }
    return {};
}

/// The files the bundle must hold: the page and every stimulus the orders show, relative to the bundle.
std::set<std::string> neededFiles(const StudyFolder& study) {
    std::set<std::string> needed{studyLayout::kPageFile};
    for (const auto& order : study.orders) {
        for (const auto& trial : order) needed.insert(trial.file);
    }
    return needed;
}

std::string relativeName(const fs::path& file, const fs::path& bundle) {
    return (fs::path(studyLayout::kBundleFolder) / fs::relative(file, bundle)).generic_string();
}

// ---------------------------------------------------------------- zip (stored entries)

void putLittleEndian(std::string& out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += char((value >> (8 * i)) & 0xff);
}

/// A zip archive of stored entries, as APPNOTE.TXT describes: a local header before each file's bytes, then the
/// central directory and its end record. Times are fixed (1980-01-01), so the same bundle gives the same bytes.
std::string zipArchive(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string archive, directory;
    for (const auto& [name, bytes] : entries) {
        const uint32_t crc = uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), uInt(bytes.size())));
        const uint64_t offset = archive.size();
        if (bytes.size() > 0xffffffffull || offset > 0xffffffffull) throw std::runtime_error("the bundle is too large for a zip file");
        std::string common;
        putLittleEndian(common, 20, 2);      // version needed: 2.0
        putLittleEndian(common, 0x0800, 2);  // names are UTF-8
        putLittleEndian(common, 0, 2);       // stored
        putLittleEndian(common, 0, 2);       // time 00:00
        putLittleEndian(common, 0x21, 2);    // date 1980-01-01
        putLittleEndian(common, crc, 4);
        putLittleEndian(common, bytes.size(), 4);
        putLittleEndian(common, bytes.size(), 4);
        putLittleEndian(common, name.size(), 2);
        putLittleEndian(common, 0, 2);  // no extra field
        putLittleEndian(archive, 0x04034b50, 4);
        archive += common + name + bytes;
        putLittleEndian(directory, 0x02014b50, 4);
        putLittleEndian(directory, 20, 2);  // made by: 2.0
        directory += common;
        putLittleEndian(directory, 0, 2);  // no comment
        putLittleEndian(directory, 0, 2);  // disk 0
        putLittleEndian(directory, 0, 2);  // internal attributes
        putLittleEndian(directory, 0, 4);  // external attributes
        putLittleEndian(directory, offset, 4);
        directory += name;
    }
    const uint64_t directoryOffset = archive.size();
    archive += directory;
    putLittleEndian(archive, 0x06054b50, 4);
    putLittleEndian(archive, 0, 2);
    putLittleEndian(archive, 0, 2);
    putLittleEndian(archive, entries.size(), 2);
    putLittleEndian(archive, entries.size(), 2);
    putLittleEndian(archive, directory.size(), 4);
    putLittleEndian(archive, directoryOffset, 4);
    putLittleEndian(archive, 0, 2);
    return archive;
}

/// Renames `from` to `to` unless that was done already (an interrupted migration runs again).
void moveOnce(const fs::path& from, const fs::path& to) {
    if (!fs::exists(from) || fs::exists(to)) return;
    fs::create_directories(to.parent_path());
    fs::rename(from, to);
}

}  // namespace

std::vector<std::string> checkStudyBundle(const StudyFolder& study) {
    std::vector<std::string> problems = stimulusProblems(study);
    const fs::path bundle = study.bundlePath();
    const auto needed = neededFiles(study);
    if (!fs::is_directory(bundle)) {
        problems.push_back(std::string(studyLayout::kBundleFolder) + "/: missing (write it with saliency-cli study-bundle)");
        return problems;
    }
    const auto page = bundle / studyLayout::kPageFile;
    if (!fs::is_regular_file(page)) problems.push_back(relativeName(page, bundle) + ": missing (the browser study)");

    std::set<std::string> present;
    const auto needles = needlesOf(study);
    for (const auto& entry : fs::recursive_directory_iterator(bundle)) {
        const auto relative = fs::relative(entry.path(), bundle).generic_string();
        if (entry.is_directory()) continue;
        present.insert(relative);
        if (!needed.count(relative)) {
            problems.push_back(relativeName(entry.path(), bundle) +
                               ": not part of the study (the bundle holds only study.html and the stimuli the orders show)");
            continue;
        }
        const bool text = entry.path().extension() == ".html";
        if (const auto found = firstNeedleIn(readBytes(entry.path()), needles, text); !found.empty()) {
            problems.push_back(relativeName(entry.path(), bundle) + ": contains \"" + found +
                               "\" from the key (private/key.json): a participant could tell the conditions apart");
        }
    }
    for (const auto& file : needed) {
        // Missing stimuli were reported with their hashes; the page is reported above.
        if (!present.count(file) && file != studyLayout::kPageFile && !study.fileHashes.count(file))
            problems.push_back((fs::path(studyLayout::kBundleFolder) / file).generic_string() + ": missing (an order shows it)");
    }
    return problems;
}

void writeStudyBundleZip(const StudyFolder& study, const std::string& zipPath) {
    const auto problems = checkStudyBundle(study);
    if (!problems.empty()) {
        std::string list;
        for (const auto& problem : problems) list += "\n  " + problem;
        throw InputError(study.path, "the participant bundle is not fit to send:" + list);
    }
    const fs::path bundle = study.bundlePath();
    const std::string top = fs::path(zipPath).stem().string();
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& file : neededFiles(study)) entries.emplace_back(top + "/" + file, readBytes(bundle / file));
    writeTextFileAtomically(zipPath, zipArchive(entries));
}

bool migrateStudyFolder(const std::string& folder) {
    const fs::path root(folder);
    const fs::path privateFolder = root / studyLayout::kPrivateFolder, bundle = root / studyLayout::kBundleFolder;
    const bool earlier = fs::exists(root / studyLayout::kKeyFile) || fs::exists(root / studyLayout::kManifestFile) ||
                         fs::exists(root / studyLayout::kStimuliFolder) || fs::exists(root / studyLayout::kPageFile);
    if (!earlier) return false;
    for (const char* file : {studyLayout::kKeyFile, studyLayout::kManifestFile, studyLayout::kManifestCsvFile})
        moveOnce(root / file, privateFolder / file);
    moveOnce(root / studyLayout::kStimuliFolder, bundle / studyLayout::kStimuliFolder);
    writeStudyHtml(loadStudyFolder(folder));
    // The old page, which sat beside the key, goes last: the new one is in the bundle by now.
    fs::remove(root / studyLayout::kPageFile);
    return true;
}

}  // namespace sw
