#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "jobs/TrainJob.h"
#include "study/StimuliJob.h"
#include "study/StimuliPreview.h"
#include "study/StudyBundle.h"
#include "study/StudyFolder.h"
#include "util/Sha256.h"
#include "TestSupport.h"

using namespace sw;
namespace fs = std::filesystem;

namespace {

std::string readBytes(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

/// Every file under `folder`, by relative path, with its bytes.
std::map<std::string, std::string> folderContents(const fs::path& folder) {
    std::map<std::string, std::string> contents;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (entry.is_regular_file()) contents[fs::relative(entry.path(), folder).string()] = readBytes(entry.path());
    }
    return contents;
}

}  // namespace

/// A study's stimulus set: blind, counterbalanced, hashed, and byte-identical when made again.
class TestStimuliJob : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_folder;
    std::vector<std::string> m_models;
    fs::path dir() const { return m_folder.path().toStdString(); }

    StimuliRequest request(const std::string& out) const {
        StimuliRequest stimuli;
        stimuli.modelPaths = m_models;
        stimuli.methods = {"vg", "ig"};
        stimuli.datasetSpec = "shapes:200:3:test";
        stimuli.imageCount = 6;
        stimuli.pixelSize = 4;
        stimuli.participants = 8;
        stimuli.attentionEvery = 7;
        stimuli.seed = 5;
        stimuli.threads = 2;
        stimuli.device = "cpu";
        stimuli.outputDir = (dir() / out).string();
        return stimuli;
    }

private Q_SLOTS:
    void initTestCase() {
        for (const std::string name : {"plain-model", "robust-model"}) {
            TrainRequest train;
            train.datasetSpec = "shapes:256:4";
            train.recipe.maxSteps = 80;
            train.threads = 2;
            train.device = "cpu";
            train.evalLimit = 16;
            if (name == "robust-model") {
                train.recipe.adversarial.kind = "fgsm-rs";
                train.recipe.adversarial.epsilon = 0.1;
            }
            train.outputPath = (dir() / (name + ".swm")).string();
            Feedback feedback;
            const auto result = runTrainJob(train, feedback, {});
            QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
            m_models.push_back(train.outputPath);
        }
    }

    void sha256MatchesTheStandardsVectors() {
        // FIPS 180-2, appendix B.1, and the empty message.
        QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        std::ofstream(dir() / "abc.txt", std::ios::binary) << "abc";
        QCOMPARE(sha256OfFile(dir() / "abc.txt"), sha256Hex("abc"));
        sw::test::expectErrorMentioning([&] { sha256OfFile(dir() / "missing.bin"); }, {"missing.bin", "cannot be read"});
    }

    void theSameRequestGivesByteIdenticalFiles() {
        Feedback feedback;
        const auto first = runStimuliJob(request("study-a"), feedback);
        QVERIFY2(first.outcome == Outcome::Completed, first.message.c_str());
        const auto second = runStimuliJob(request("study-b"), feedback);
        QVERIFY2(second.outcome == Outcome::Completed, second.message.c_str());
        const auto a = folderContents(dir() / "study-a");
        const auto b = folderContents(dir() / "study-b");
        QCOMPARE(a.size(), size_t(2 * 2 * 6 + 1 + 6));  // stimuli, attention.png, manifest ×2, key, orders, study.json, study.html
        // Two folders: what participants get, and the experimenter's private files.
        for (const auto& [file, bytes] : a) {
            const bool bundle = file.rfind("participant/", 0) == 0, secret = file.rfind("private/", 0) == 0;
            QVERIFY2(bundle || secret || file == "orders.csv" || file == "study.json", file.c_str());
            if (bundle) QVERIFY2(file == "participant/study.html" || file.rfind("participant/stimuli/", 0) == 0, file.c_str());
        }
        QVERIFY(a == b);
        auto changed = request("study-c");
        changed.seed = 6;
        QVERIFY(runStimuliJob(changed, feedback).outcome == Outcome::Completed);
        QVERIFY(folderContents(dir() / "study-c") != a);
    }

    void theManifestHashesEveryFileAndTheNamesAreBlind() {
        const auto folder = dir() / "study-a";
        const auto manifest = nlohmann::json::parse(readBytes(folder / "private" / "manifest.json"));
        QCOMPARE(manifest.size(), size_t(2 * 2 * 6 + 1));
        std::set<std::string> conditions;
        for (const auto& entry : manifest) {
            const std::string file = entry["file"];
            QCOMPARE(std::string(entry["sha256"]), sha256OfFile(folder / "participant" / file));
            for (const std::string revealing : {"plain", "robust", "vg", "ig", "model"})
                QVERIFY2(file.find(revealing) == std::string::npos, file.c_str());
            if (entry.contains("attention_check")) continue;
            conditions.insert(entry["condition"].get<std::string>());
            QCOMPARE(std::string(entry["model_sha256"]).size(), size_t(64));
            QVERIFY(entry["rendering"].contains("top_k_percent") && entry["method_parameters"].contains("method"));
            QCOMPARE(entry["method_parameters"]["precision"].get<std::string>(), std::string("fp32"));
        }
        // The key, kept apart, maps each code to its model and method.
        const auto key = nlohmann::json::parse(readBytes(folder / "private" / "key.json"));
        QCOMPARE(key.size(), size_t(4));
        for (const auto& code : conditions) QVERIFY(key.contains(code));
        std::set<std::pair<std::string, std::string>> pairs;
        for (const auto& [code, condition] : key.items())
            pairs.insert({condition["model"].get<std::string>(), condition["method"].get<std::string>()});
        QCOMPARE(pairs.size(), size_t(4));
        // Pixel size 4 on 28×28 images: 112 pixels square.
        const auto picture = cv::imread((folder / "participant" / std::string(manifest[0]["file"])).string());
        QCOMPARE(picture.cols, 112);
        QCOMPARE(picture.rows, 112);
    }

    void ordersCoverEveryStimulusOncePerParticipant() {
        std::ifstream orders(dir() / "study-a" / "orders.csv");
        std::string line;
        std::getline(orders, line);
        QCOMPARE(line, std::string("participant,trial,file,image,condition,attention_check"));
        std::map<int, std::multiset<std::string>> files;
        while (std::getline(orders, line)) {
            const int participant = std::stoi(line.substr(0, line.find(',')));
            const auto fileStart = line.find(',', line.find(',') + 1) + 1;
            files[participant].insert(line.substr(fileStart, line.find(',', fileStart) - fileStart));
        }
        QCOMPARE(files.size(), size_t(8));
        for (const auto& [participant, seen] : files) {
            QCOMPARE(seen.size(), size_t(24 + 24 / 7));
            QCOMPARE(int(seen.count("stimuli/attention.png")), 24 / 7);
            QCOMPARE(std::set<std::string>(seen.begin(), seen.end()).size(), size_t(24 + 1));
        }
    }

    void onlyCorrectAndStratifiedDrawsAreHonoured() {
        Feedback feedback;
        auto labelsOf = [&](const std::string& out) {
            std::vector<std::pair<int64_t, int64_t>> labels;  // (label, prediction) per stimulus
            for (const auto& entry : nlohmann::json::parse(readBytes(dir() / out / "private" / "manifest.json"))) {
                labels.push_back({entry["label"].get<int64_t>(), entry["prediction"].get<int64_t>()});
            }
            return labels;
        };
        auto stimuli = request("correct");
        stimuli.onlyCorrect = true;
        stimuli.attentionEvery = 0;
        stimuli.imageCount = 2;
        auto result = runStimuliJob(stimuli, feedback);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        for (const auto& [label, prediction] : labelsOf("correct")) QCOMPARE(prediction, label);
        // A stratified draw of three images takes one from each of three classes.
        stimuli = request("stratified");
        stimuli.attentionEvery = 0;
        stimuli.imageCount = 3;
        result = runStimuliJob(stimuli, feedback);
        QVERIFY2(result.outcome == Outcome::Completed, result.message.c_str());
        std::set<int64_t> classes;
        for (const auto& [label, prediction] : labelsOf("stratified")) classes.insert(label);
        QCOMPARE(classes.size(), size_t(3));
    }

    void theBundleHoldsNothingOfTheKey() {
        const auto study = loadStudyFolder((dir() / "study-a").string());
        const auto problems = checkStudyBundle(study);
        QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().c_str());
        // Everything of the key that would unblind a participant, searched for in every bundle file's bytes.
        std::vector<std::string> secrets;
        const auto key = nlohmann::json::parse(readBytes(dir() / "study-a" / "private" / "key.json"));
        for (const auto& [code, condition] : key.items()) {
            for (const char* field : {"model", "model_sha256", "badge"}) secrets.push_back(condition[field].get<std::string>());
            secrets.push_back(fs::path(condition["model"].get<std::string>()).stem().string());
        }
        for (const auto& model : m_models) secrets.push_back(model);
        for (const auto& entry : fs::recursive_directory_iterator(dir() / "study-a" / "participant")) {
            if (!entry.is_regular_file()) continue;
            const auto bytes = readBytes(entry.path());
            for (const auto& secret : secrets)
                QVERIFY2(bytes.find(secret) == std::string::npos, (entry.path().string() + " holds " + secret).c_str());
            if (entry.path().extension() == ".html") {
                for (const std::string method : {"\"vg\"", "\"ig\"", "Vanilla", "Integrated"})
                    QVERIFY2(bytes.find(method) == std::string::npos, (entry.path().string() + " holds " + method).c_str());
            }
        }
    }

    void theBundleCheckFindsEachProblemByFile() {
        Feedback feedback;
        QVERIFY(runStimuliJob(request("checked"), feedback).outcome == Outcome::Completed);
        const auto folder = dir() / "checked";
        const auto problemsMentioning = [&](const std::string& text) {
            for (const auto& problem : checkStudyBundle(loadStudyFolder(folder.string())))
                if (problem.find(text) != std::string::npos) return true;
            return false;
        };
        const auto stimulus = folder / "participant" / "stimuli" / "img00_c1.png";
        const auto original = readBytes(stimulus);
        std::ofstream(stimulus, std::ios::binary) << original.substr(0, original.size() - 1) << 'x';
        QVERIFY(problemsMentioning("participant/stimuli/img00_c1.png: SHA-256 differs"));
        fs::remove(stimulus);
        QVERIFY(problemsMentioning("participant/stimuli/img00_c1.png: missing"));
        std::ofstream(stimulus, std::ios::binary) << original;
        std::ofstream(folder / "participant" / "notes.txt") << "for the experimenter";
        QVERIFY(problemsMentioning("participant/notes.txt: not part of the study"));
        fs::remove(folder / "participant" / "notes.txt");
        QVERIFY(checkStudyBundle(loadStudyFolder(folder.string())).empty());
        // A leak planted in the experimenter's own text: a model's name in the instructions.
        auto study = loadStudyFolder(folder.string());
        study.settings.instructions += " Some pictures come from " + fs::path(m_models[1]).stem().string() + ".";
        writeStudyFiles(folder.string(), study.settings);
        QVERIFY(problemsMentioning("participant/study.html: contains \"robust-model\" from the key"));
        study.settings.instructions = "The maps were made with IG.";
        writeStudyFiles(folder.string(), study.settings);
        QVERIFY(problemsMentioning("participant/study.html: contains \"ig\" from the key"));
        sw::test::expectErrorMentioning([&] { writeStudyBundleZip(loadStudyFolder(folder.string()), (dir() / "leaky.zip").string()); },
                                        {"not fit to send", "ig"});
        QVERIFY(!fs::exists(dir() / "leaky.zip"));
    }

    void theBundleZipHoldsTheBundleAlone() {
        const auto study = loadStudyFolder((dir() / "study-a").string());
        const auto zip = dir() / "study-a-online.zip";
        writeStudyBundleZip(study, zip.string());
        const auto bytes = readBytes(zip);
        QCOMPARE(bytes.substr(0, 4), std::string("PK\x03\x04"));
        // Python's zipfile is the independent reader: it lists the entries and checks every CRC.
        const auto listing = dir() / "listing.txt";
        const std::string command = std::string(SW_TEST_PYTHON) +
                                    " -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                                    "print('\\n'.join(sorted(z.namelist())))\" " +
                                    zip.string() + " > " + listing.string();
        QCOMPARE(std::system(command.c_str()), 0);
        std::ifstream names(listing);
        std::set<std::string> entries;
        for (std::string line; std::getline(names, line);) entries.insert(line);
        std::set<std::string> expected{"study-a-online/study.html"};
        for (const auto& [file, hash] : study.fileHashes) expected.insert("study-a-online/" + file);
        QVERIFY(entries == expected);
    }

    void anEarlierStudyFolderMovesIntoTheTwoFolders() {
        Feedback feedback;
        QVERIFY(runStimuliJob(request("earlier"), feedback).outcome == Outcome::Completed);
        const auto folder = dir() / "earlier";
        // The one-folder layout of earlier versions: key, manifest, stimuli and page beside study.json.
        for (const char* file : {"key.json", "manifest.json", "manifest.csv"}) fs::rename(folder / "private" / file, folder / file);
        fs::remove(folder / "private");
        fs::rename(folder / "participant" / "stimuli", folder / "stimuli");
        fs::rename(folder / "participant" / "study.html", folder / "study.html");
        fs::remove(folder / "participant");
        sw::test::expectErrorMentioning([&] { loadStudyFolder(folder.string()); }, {"earlier layout", "study-bundle"});
        QVERIFY(migrateStudyFolder(folder.string()));
        QVERIFY(!fs::exists(folder / "key.json") && !fs::exists(folder / "study.html") && !fs::exists(folder / "stimuli"));
        QVERIFY(checkStudyBundle(loadStudyFolder(folder.string())).empty());
        QVERIFY(!migrateStudyFolder(folder.string()));
    }

    void thePreviewShowsEveryConditionAndItsShareOfTheScale() {
        Feedback feedback;
        auto stimuli = request("never-written");
        const auto shared = previewStimuli(stimuli, 2, feedback);
        QCOMPARE(shared.pictures.size(), size_t(4));  // 2 models × 2 methods
        QCOMPARE(shared.conditions[0], std::string("plain-model · VG"));
        QCOMPARE(shared.pictures[0].cols, 28 * 4);
        // Under a shared scale the strongest condition of each method fills it; the others show their share.
        for (const std::string method : {"VG", "IG"}) {
            double strongest = 0;
            for (size_t c = 0; c < shared.conditions.size(); ++c) {
                if (shared.conditions[c].find(method) == std::string::npos) continue;
                QVERIFY(shared.scaleShare[c] > 0 && shared.scaleShare[c] <= 1.0);
                strongest = std::max(strongest, shared.scaleShare[c]);
            }
            QVERIFY(strongest > 0.99 || shared.pictures.size() > 4);
        }
        size_t faint = 0;
        for (const double share : shared.scaleShare) faint += share < StimuliPreview::kFaintShare ? 1 : 0;
        QCOMPARE(shared.warnings.size(), faint);
        // Scaled each by itself, every map fills its scale: nothing to warn of.
        stimuli.sharedScale = false;
        const auto own = previewStimuli(stimuli, 2, feedback);
        for (const double share : own.scaleShare) QCOMPARE(share, 1.0);
        QVERIFY(own.warnings.empty());
        QVERIFY(!fs::exists(dir() / "never-written"));
    }

    void badOptionsAreRefusedBeforeAnyWork() {
        Feedback feedback;
        auto stimuli = request("bad");
        stimuli.layout = "collage";
        auto result = runStimuliJob(stimuli, feedback);
        QCOMPARE(int(result.outcome), int(Outcome::Failed));
        QVERIFY2(result.message.find("--layout collage") != std::string::npos, result.message.c_str());
        stimuli = request("bad");
        stimuli.methods = {"vg", "lime"};
        result = runStimuliJob(stimuli, feedback);
        QVERIFY2(result.message.find("lime") != std::string::npos, result.message.c_str());
        stimuli = request("bad");
        stimuli.imageCount = 100000;
        result = runStimuliJob(stimuli, feedback);
        QVERIFY2(result.message.find("images qualify") != std::string::npos, result.message.c_str());
        QVERIFY(!fs::exists(dir() / "bad"));
    }
};

QTEST_APPLESS_MAIN(TestStimuliJob)
#include "TestStimuliJob.moc"
