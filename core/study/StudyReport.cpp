#include "study/StudyReport.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "io/ReportDocument.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"
#include "util/ListParsing.h"

namespace sw {

namespace fs = std::filesystem;

namespace {

bool isLikertAnswer(const std::string& answer, int points, int& value) {
    if (answer.empty() || answer.size() > 2 || !std::all_of(answer.begin(), answer.end(), ::isdigit)) return false;
    value = std::stoi(answer);
    return value >= 1 && value <= points;
}

double meanOf(const std::vector<double>& values) {
    double sum = 0.0;
    for (const double value : values) sum += value;
    return values.empty() ? std::nan("") : sum / double(values.size());
}

std::string pValueText(double p) {
    if (!std::isfinite(p)) return "—";
    return p < 0.001 ? "< 0.001" : fixedDecimals(p, 3);
}

}  // namespace

StudyAnalysis analyzeStudy(const StudyFolder& study, const std::vector<StudyCondition>& conditions,
                           const std::vector<StudyResponse>& responses, uint64_t seed, int resamples) {
    StudyAnalysis analysis;
    analysis.title = study.settings.title;
    analysis.conditions = conditions;
    std::map<std::string, size_t> conditionIndex;
    for (size_t c = 0; c < conditions.size(); ++c) conditionIndex[conditions[c].code] = c;
    std::map<std::string, const StudyQuestion*> likert;
    for (const auto& question : study.settings.questions) {
        if (!question.isLikert()) continue;
        analysis.questions.push_back(question.id);
        likert[question.id] = &question;
    }

    // Per participant: answered trials, attention checks and their failures.
    std::map<std::string, StudyAnalysis::Participant> participants;
    std::map<std::string, std::set<int>> trialsSeen;
    std::map<std::string, std::set<int>> failedTrials;
    for (const auto& response : responses) {
        auto& participant = participants[response.participant];
        participant.id = response.participant;
        participant.source = response.source;
        if (response.order < 0 || size_t(response.order) >= study.orders.size())
            throw InputError("participant " + response.participant,
                             "follows order " + std::to_string(response.order) + ", which orders.csv lacks");
        participant.trialsInOrder = int(study.orders[size_t(response.order)].size());
        if (trialsSeen[response.participant].insert(response.trial).second && response.attentionCheck) ++participant.attentionChecks;
        const auto question = likert.find(response.question);
        if (question == likert.end()) continue;  // free text, or a question since removed from study.json
        int value = 0;
        if (response.attentionCheck &&
            (!isLikertAnswer(response.answer, question->second->points, value) || value != kAttentionCheckAnswer))
            failedTrials[response.participant].insert(response.trial);
    }
    for (auto& [id, participant] : participants) {
        participant.trialsAnswered = int(trialsSeen[id].size());
        participant.attentionFailures = int(failedTrials[id].size());
        participant.excluded = participant.attentionFailures > study.settings.maxAttentionFailures;
        analysis.participants.push_back(participant);
    }

    // Ratings: pooled per question and condition, and each included participant's mean per condition.
    std::map<std::pair<std::string, size_t>, std::vector<double>> pooled;
    std::map<std::string, std::map<std::string, std::map<size_t, std::vector<double>>>>
        byParticipant;  // question → participant → condition
    for (const auto& response : responses) {
        if (response.attentionCheck || participants[response.participant].excluded) continue;
        const auto question = likert.find(response.question);
        if (question == likert.end()) continue;
        const auto& trials = study.orders[size_t(response.order)];
        if (response.trial < 0 || size_t(response.trial) >= trials.size())
            throw InputError("participant " + response.participant,
                             "answered trial " + std::to_string(response.trial) + ", beyond their order");
        const auto code = conditionIndex.find(trials[size_t(response.trial)].condition);
        if (code == conditionIndex.end())
            throw InputError("key.json", "lacks condition '" + trials[size_t(response.trial)].condition + "' that orders.csv uses");
        int value = 0;
        if (!isLikertAnswer(response.answer, question->second->points, value))
            throw InputError("participant " + response.participant,
                             "answer '" + response.answer + "' to " + response.question + " is not a point of its scale");
        pooled[{response.question, code->second}].push_back(value);
        byParticipant[response.question][response.participant][code->second].push_back(value);
    }

    uint64_t stream = seed;
    for (const auto& question : analysis.questions) {
        for (size_t c = 0; c < conditions.size(); ++c) {
            StudyAnalysis::ConditionRatings entry;
            entry.question = question;
            entry.condition = c;
            entry.ratings = pooled[{question, c}];
            entry.summary = summarizeRatings(entry.ratings, stream++, resamples);
            analysis.ratings.push_back(entry);
        }

        // Tests on the participants who rated every condition: one mean per participant and condition.
        std::vector<std::vector<double>> means(conditions.size());
        for (const auto& [participant, perCondition] : byParticipant[question]) {
            if (perCondition.size() != conditions.size()) continue;
            for (size_t c = 0; c < conditions.size(); ++c) means[c].push_back(meanOf(perCondition.at(c)));
        }
        const int complete = conditions.empty() ? 0 : int(means.front().size());
        StudyAnalysis::AcrossConditions across;
        across.question = question;
        across.participants = complete;
        if (conditions.size() < 3) {
            across.note = "needs three or more conditions (the pairwise test below covers two)";
        } else if (complete < 2) {
            across.note = "needs two or more participants who rated every condition";
        } else {
            across.friedman = friedmanTest(means);
            across.computed = true;
        }
        analysis.acrossConditions.push_back(across);

        std::vector<StudyAnalysis::Pair> pairs;
        std::vector<double> pValues;
        for (size_t a = 0; a < conditions.size(); ++a) {
            for (size_t b = a + 1; b < conditions.size(); ++b) {
                StudyAnalysis::Pair pair;
                pair.question = question;
                pair.first = a;
                pair.second = b;
                pair.participants = complete;
                if (complete >= 2) {
                    pair.wilcoxon = wilcoxonSignedRank(means[a], means[b]);
                    pair.computed = true;
                } else {
                    pair.note = "needs two or more participants who rated both conditions";
                }
                pValues.push_back(pair.wilcoxon.pValue);
                pairs.push_back(pair);
            }
        }
        const auto adjusted = holmAdjust(pValues);
        for (size_t i = 0; i < pairs.size(); ++i) {
            pairs[i].pHolm = adjusted[i];
            analysis.pairs.push_back(pairs[i]);
        }
    }
    return analysis;
}

namespace {

using Rows = std::vector<std::vector<std::string>>;

/// summary.csv and the report's table of ratings per condition.
struct SummaryTable {
    std::string csv;
    Rows rows;
};

SummaryTable summaryTable(const StudyAnalysis& analysis) {
    std::ostringstream csv;
    csv << "question,condition,condition_label,n,mean,median,ci95_low,ci95_high\n";
    Rows rows;
    for (const auto& entry : analysis.ratings) {
        const auto& condition = analysis.conditions[entry.condition];
        const auto& s = entry.summary;
        csv << entry.question << ',' << condition.code << ',' << csvField(condition.label) << ',' << s.n << ',' << fixedDecimals(s.mean, 4)
            << ',' << fixedDecimals(s.median, 4) << ',' << fixedDecimals(s.ciLow, 4) << ',' << fixedDecimals(s.ciHigh, 4) << '\n';
        rows.push_back({entry.question, condition.code + " " + condition.label, std::to_string(s.n), fixedDecimals(s.mean, 2),
                        fixedDecimals(s.median, 1), "[" + fixedDecimals(s.ciLow, 2) + ", " + fixedDecimals(s.ciHigh, 2) + "]"});
    }
    return {csv.str(), rows};
}

/// tests.csv and the report's tables of Friedman's and the pairwise Wilcoxon tests.
struct TestTables {
    std::string csv;
    Rows friedmanRows, pairRows;
};

TestTables testTables(const StudyAnalysis& analysis) {
    std::ostringstream csv;
    csv << "question,test,condition_a,condition_b,participants,statistic,df,p,p_holm,rank_biserial\n";
    TestTables tables;
    for (const auto& across : analysis.acrossConditions) {
        if (!across.computed) {
            tables.friedmanRows.push_back(
                {across.question, std::to_string(across.participants), "—", "—", "—", "not computed: " + across.note});
            continue;
        }
        const auto& f = across.friedman;
        csv << across.question << ",friedman,,," << across.participants << ',' << fixedDecimals(f.statistic, 6) << ',' << f.degreesOfFreedom
            << ',' << fixedDecimals(f.pValue, 6) << ",,\n";
        tables.friedmanRows.push_back({across.question, std::to_string(across.participants), fixedDecimals(f.statistic, 2),
                                       std::to_string(f.degreesOfFreedom), pValueText(f.pValue), ""});
    }
    for (const auto& pair : analysis.pairs) {
        const auto& a = analysis.conditions[pair.first];
        const auto& b = analysis.conditions[pair.second];
        if (!pair.computed) {
            tables.pairRows.push_back({pair.question, a.code + " " + a.label, b.code + " " + b.label, std::to_string(pair.participants),
                                       "—", "—", "—", "not computed: " + pair.note});
            continue;
        }
        const auto& w = pair.wilcoxon;
        csv << pair.question << ",wilcoxon," << a.code << ',' << b.code << ',' << pair.participants << ',' << fixedDecimals(w.statistic, 6)
            << ",," << fixedDecimals(w.pValue, 6) << ',' << fixedDecimals(pair.pHolm, 6) << ',' << fixedDecimals(w.rankBiserial, 6) << '\n';
        tables.pairRows.push_back({pair.question, a.code + " " + a.label, b.code + " " + b.label, std::to_string(pair.participants),
                                   fixedDecimals(w.statistic, 1), pValueText(w.pValue), pValueText(pair.pHolm),
                                   fixedDecimals(w.rankBiserial, 2)});
    }
    tables.csv = csv.str();
    return tables;
}

/// participants.csv and the report's table of participants.
struct ParticipantTable {
    std::string csv;
    Rows rows;
    int excluded = 0;
};

ParticipantTable participantTable(const StudyAnalysis& analysis) {
    std::ostringstream csv;
    csv << "participant,source,trials_answered,trials_in_order,attention_checks,attention_failures,excluded\n";
    ParticipantTable table;
    for (const auto& p : analysis.participants) {
        csv << csvField(p.id) << ',' << p.source << ',' << p.trialsAnswered << ',' << p.trialsInOrder << ',' << p.attentionChecks << ','
            << p.attentionFailures << ',' << (p.excluded ? 1 : 0) << '\n';
        table.rows.push_back({p.id, p.source, std::to_string(p.trialsAnswered) + " of " + std::to_string(p.trialsInOrder),
                              std::to_string(p.attentionFailures) + " of " + std::to_string(p.attentionChecks), p.excluded ? "yes" : "no"});
        table.excluded += p.excluded ? 1 : 0;
    }
    table.csv = csv.str();
    return table;
}

/// Who answered and how many were excluded, with a warning when too few remain for any test to reach 5 %.
std::string participantCountText(const StudyAnalysis& analysis, int excluded) {
    const auto count = [](size_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); };
    const int included = int(analysis.participants.size()) - excluded;
    std::string text = count(analysis.participants.size(), "participant") + " answered; " + std::to_string(excluded) +
                       " excluded for failing attention checks. Conditions are named by their blind codes and, from key.json, "
                       "their model and method.";
    if (included < StudyAnalysis::kParticipantsForAFivePercentTest) {
        text += " With " + count(size_t(std::max(included, 0)), "included participant") +
                ", no test below can find a difference at the 5 % level (it takes " +
                std::to_string(StudyAnalysis::kParticipantsForAFivePercentTest) + "): read the p-values as a trial run, not a finding.";
    }
    return text;
}

}  // namespace

std::vector<std::string> writeStudyReport(const StudyAnalysis& analysis, const std::string& outputDir, const std::string& figureFile) {
    const fs::path out(outputDir);
    fs::create_directories(out);
    std::vector<std::string> written;
    auto write = [&](const std::string& name, const std::string& text) {
        writeTextFileAtomically(out / name, text);
        written.push_back((out / name).string());
    };
    const auto summary = summaryTable(analysis);
    const auto tests = testTables(analysis);
    const auto participants = participantTable(analysis);
    write("summary.csv", summary.csv);
    write("tests.csv", tests.csv);
    write("participants.csv", participants.csv);

    using Kind = ReportBlock::Kind;
    std::vector<ReportBlock> blocks;
    blocks.push_back({Kind::Heading, "Study report: " + analysis.title, {}, {}, 1});
    blocks.push_back({Kind::Paragraph, participantCountText(analysis, participants.excluded), {}, {}, 2});
    blocks.push_back({Kind::Heading, "Ratings per condition", {}, {}, 2});
    blocks.push_back({Kind::Paragraph,
                      "All ratings of the included participants (attention-check trials left out); 95 % percentile-bootstrap "
                      "interval of the mean.",
                      {},
                      {},
                      2});
    blocks.push_back({Kind::Table, "", {"question", "condition", "n", "mean", "median", "95 % interval"}, summary.rows, 2});
    if (!figureFile.empty())
        blocks.push_back({Kind::Figure,
                          "Ratings per condition and question: boxes show the quartiles of all ratings, diamonds the mean with its 95 % "
                          "bootstrap interval",
                          {figureFile},
                          {},
                          2});
    blocks.push_back({Kind::Heading, "Across conditions: Friedman's test", {}, {}, 2});
    blocks.push_back({Kind::Paragraph,
                      "On each participant's mean rating per condition, for participants who rated every condition (ties corrected, "
                      "χ² with k − 1 degrees of freedom; as scipy.stats.friedmanchisquare).",
                      {},
                      {},
                      2});
    blocks.push_back({Kind::Table, "", {"question", "participants", "χ²", "df", "p", "note"}, tests.friedmanRows, 2});
    blocks.push_back({Kind::Heading, "Pairs of conditions: Wilcoxon signed-rank tests", {}, {}, 2});
    blocks.push_back({Kind::Paragraph,
                      "On the same participant means (as scipy.stats.wilcoxon's defaults); p adjusted by Holm over the pairs of each "
                      "question; rank-biserial r > 0 when the first condition is rated higher.",
                      {},
                      {},
                      2});
    blocks.push_back(
        {Kind::Table, "", {"question", "first", "second", "participants", "W", "p", "p (Holm)", "rank-biserial r"}, tests.pairRows, 2});
    blocks.push_back({Kind::Heading, "Participants", {}, {}, 2});
    blocks.push_back(
        {Kind::Table, "", {"participant", "source", "trials answered", "attention checks failed", "excluded"}, participants.rows, 2});
    write("report.md", renderMarkdown(blocks));
    write("report.html", renderHtml(blocks, "Study report: " + analysis.title));
    return written;
}

}  // namespace sw
