#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "TestSupport.h"
#include "core/study/StudyFolderFixture.h"
#include "study/StudyFolder.h"
#include "study/StudyReport.h"
#include "util/InputError.h"
#include "util/ListParsing.h"
#include "util/Sha256.h"

using namespace sw;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "(no error)";
}

/// Three conditions over two images, two orders of seven trials (an attention check third), as the stimuli
/// job lays a study out; "pictures" are a few bytes each, which is all a study folder's reader needs.
fs::path makeStudy(const fs::path& folder) {
    test::makeStudyFolder(folder, 2, 2, 3, 0, [](const fs::path& file, int condition, int image) {
        writeText(file, "picture " + std::to_string(condition) + " " + std::to_string(image));
    });
    return folder;
}

}  // namespace

/// A study folder's one reader: CSV both ways, study.json's checks, the orders tied to the manifest, the
/// browser page's embedded data, and the analysis' grouping, exclusions and tests.
class TestStudyFolder : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    fs::path dir() const { return fs::path(m_dir.path().toStdString()); }

private Q_SLOTS:
    void csvReadsWhatCsvFieldWrites() {
        const std::vector<std::string> fields = {"plain", "with, comma", "with \"quotes\"", "two\nlines", "", "end"};
        std::string text;
        for (size_t i = 0; i < fields.size(); ++i) text += (i ? "," : "") + csvField(fields[i]);
        text += "\r\nsecond,row\n";
        const auto rows = parseCsv(text, "t.csv");
        QCOMPARE(rows.size(), size_t(2));
        QVERIFY(rows[0] == fields);
        QVERIFY((rows[1] == std::vector<std::string>{"second", "row"}));
        QVERIFY(errorOf([] { parseCsv("a,\"open\nb", "cut.csv"); }).find("cut.csv") == 0);
    }

    void studyJsonIsCheckedWithTheFileNamed() {
        const auto text = studySettingsJson(defaultStudySettings());
        const auto settings = parseStudySettings(text, "study.json");
        QCOMPARE(settings.questions.size(), size_t(2));
        QCOMPARE(settings.questions[0].id, std::string("sufficient"));
        QCOMPARE(studySettingsJson(settings), text);  // read and written back unchanged
        auto broken = nlohmann::json::parse(text);
        broken["questions"][1]["id"] = "sufficient";
        QVERIFY(errorOf([&] {
                    parseStudySettings(broken.dump(), "s/study.json");
                }).find("s/study.json: question id 'sufficient' appears twice") == 0);
        broken = nlohmann::json::parse(text);
        broken["questions"][0]["points"] = 12;
        QVERIFY(errorOf([&] { parseStudySettings(broken.dump(), "study.json"); }).find("points must be 2 to 9") != std::string::npos);
        broken.erase("title");
        QVERIFY(errorOf([&] { parseStudySettings(broken.dump(), "study.json"); }).find("study.json: a field is missing") == 0);
        QVERIFY(errorOf([] { parseStudySettings("{\"format\": ", "study.json"); }).find("study.json: is not valid JSON") == 0);
    }

    void aFolderIsReadWithItsHashesAndPage() {
        const auto folder = makeStudy(dir() / "study");
        const auto study = loadStudyFolder(folder.string());
        QCOMPARE(study.orders.size(), size_t(2));
        QCOMPARE(study.orders[1].size(), size_t(7));
        QVERIFY(study.orders[1][2].attentionCheck);
        QCOMPARE(study.orders[1][3].sha256, sha256OfFile(study.stimulusPath(study.orders[1][3].file)));
        QCOMPARE(study.studyId.size(), size_t(16));
        QVERIFY(stimulusProblems(study).empty());
        writeText(study.stimulusPath("stimuli/img01_c2.png"), "changed");
        fs::remove(study.stimulusPath("stimuli/img00_c3.png"));
        const auto problems = stimulusProblems(study);
        QCOMPARE(problems.size(), size_t(2));
        QVERIFY(problems[0].find("participant/stimuli/img00_c3.png: missing") == 0);
        QVERIFY(problems[1].find("participant/stimuli/img01_c2.png: SHA-256 differs") == 0);

        // Texts that could end the page's <script> element reach the browser intact but harmless.
        auto settings = defaultStudySettings();
        settings.title = "</script><!--<script> & more";
        writeStudyFiles(folder.string(), settings);
        std::ifstream page(folder / "participant" / "study.html");
        const std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
        const auto start = html.find("<script id=\"study-data\" type=\"application/json\">");
        QVERIFY(start != std::string::npos);
        const auto dataStart = html.find('>', start) + 1;
        const auto data = html.substr(dataStart, html.find("</script>", dataStart) - dataStart);
        QVERIFY(data.find('<') == std::string::npos);
        const auto embedded = nlohmann::json::parse(data);
        QCOMPARE(embedded["study"]["title"].get<std::string>(), settings.title);
        QCOMPARE(embedded["study_id"].get<std::string>(), study.studyId);
        QCOMPARE(embedded["orders"][1][3]["sha256"].get<std::string>(), study.orders[1][3].sha256);

        writeText(folder / "orders.csv", "participant,trial,file,image,condition,attention_check\n0,0,stimuli/nowhere.png,0,c1,0\n");
        QVERIFY(errorOf([&] { loadStudyFolder(folder.string()); }).find("orders.csv line 2: stimuli/nowhere.png is not in manifest.json") !=
                std::string::npos);
    }

    void theAnalysisGroupsExcludesAndTests() {
        const auto folder = makeStudy(dir() / "analysis");
        const auto study = loadStudyFolder(folder.string());
        const auto conditions = loadStudyKey(folder.string());
        QCOMPARE(conditions.size(), size_t(3));
        QCOMPARE(conditions[2].label, std::string("model-3 · VG"));
        // Four participants (orders 0, 1, 0, 1): a rating of condition cK is K + the participant's offset, so every
        // participant's mean per condition is known; P4 fails the attention check and is excluded.
        std::vector<StudyResponse> responses;
        const std::vector<double> offset = {0, 1, 2, 3};
        for (int p = 0; p < 4; ++p) {
            const int order = p % 2;
            for (const auto& trial : study.orders[size_t(order)]) {
                for (const char* question : {"sufficient", "trust"}) {
                    StudyResponse r;
                    r.participant = "P" + std::to_string(p + 1);
                    r.order = order;
                    r.trial = trial.trial;
                    r.file = trial.file;
                    r.attentionCheck = trial.attentionCheck;
                    r.question = question;
                    const int c = trial.attentionCheck ? 0 : std::stoi(trial.condition.substr(1));
                    r.answer =
                        std::to_string(trial.attentionCheck ? (p == 3 ? 5 : 1) : int(c + offset[size_t(p)] + (trial.image == 1 ? 1 : 0)));
                    r.source = "gui";
                    responses.push_back(r);
                }
            }
        }
        const auto analysis = analyzeStudy(study, conditions, responses, 1, 500);
        QCOMPARE(analysis.participants.size(), size_t(4));
        QVERIFY(analysis.participants[3].excluded);
        QCOMPARE(analysis.participants[3].attentionFailures, 1);
        QVERIFY(!analysis.participants[0].excluded);
        // c2 for "trust": 3 participants × 2 images, ratings 2+o and 3+o for o = 0, 1, 2: {2,3,3,4,4,5}.
        const auto& c2 = analysis.ratings[1 * 3 + 1];
        QCOMPARE(c2.question, std::string("trust"));
        QCOMPARE(c2.summary.n, int64_t(6));
        QCOMPARE(c2.summary.mean, 3.5);
        QCOMPARE(c2.summary.median, 3.5);
        // Participant means per condition (c + o + 0.5), so Friedman sees a perfect ordering in every block.
        std::vector<std::vector<double>> means(3);
        for (int c = 0; c < 3; ++c) {
            for (int p = 0; p < 3; ++p) means[size_t(c)].push_back(c + 1 + offset[size_t(p)] + 0.5);
        }
        const auto expected = friedmanTest(means);
        QVERIFY(analysis.acrossConditions[0].computed);
        QCOMPARE(analysis.acrossConditions[0].participants, 3);
        QCOMPARE(analysis.acrossConditions[0].friedman.statistic, expected.statistic);
        QCOMPARE(analysis.acrossConditions[0].friedman.statistic, 6.0);  // n k = 3 · 2 for a perfect ordering
        QCOMPARE(analysis.pairs.size(), size_t(6));                      // 3 pairs × 2 questions
        QCOMPARE(analysis.pairs[0].wilcoxon.rankBiserial, -1.0);         // c1 always below c2
        const auto files = writeStudyReport(analysis, (folder / "report").string(), "");
        QCOMPARE(files.size(), size_t(5));
        std::ifstream summary(folder / "report/summary.csv");
        std::string header;
        std::getline(summary, header);
        QCOMPARE(header, std::string("question,condition,condition_label,n,mean,median,ci95_low,ci95_high"));
        // Three included participants: the report says the tests cannot reach 5 % yet.
        std::ifstream markdown(folder / "report/report.md");
        const std::string text((std::istreambuf_iterator<char>(markdown)), std::istreambuf_iterator<char>());
        QVERIFY(text.find("4 participants answered") != std::string::npos);
        QVERIFY(text.find("With 3 included participants, no test below can find a difference at the 5 % level") != std::string::npos);

        // One participant: no signed-rank test at all (it would say p = 1 and r = ±1), and a word in the singular.
        std::vector<StudyResponse> alone;
        for (const auto& response : responses) {
            if (response.participant == "P1") alone.push_back(response);
        }
        const auto single = analyzeStudy(study, conditions, alone, 1, 200);
        for (const auto& pair : single.pairs) {
            QVERIFY(!pair.computed);
            QVERIFY(pair.note.find("two or more participants") != std::string::npos);
        }
        writeStudyReport(single, (folder / "single").string(), "");
        std::ifstream singleMarkdown(folder / "single/report.md");
        const std::string singleText((std::istreambuf_iterator<char>(singleMarkdown)), std::istreambuf_iterator<char>());
        QVERIFY(singleText.find("1 participant answered") != std::string::npos);
        QVERIFY(singleText.find("not computed: needs two or more participants") != std::string::npos);

        responses.front().answer = "12";
        responses.front().participant = "P1";
        QVERIFY(errorOf([&] { analyzeStudy(study, conditions, responses); }).find("is not a point of its scale") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestStudyFolder)
#include "TestStudyFolder.moc"
