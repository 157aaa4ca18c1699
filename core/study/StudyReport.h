#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "study/StudyFolder.h"
#include "study/StudyStatistics.h"

namespace sw {

/// One answer to one question on one trial: a row of the study's response database (the GUI runner writes
/// them; the browser study's downloads are imported as the same rows).
struct StudyResponse {
    std::string participant;
    int order = 0;  ///< which of orders.csv's orders the participant follows
    int trial = 0;
    std::string file;
    std::string sha256;  ///< of the stimulus shown, checked against the manifest
    bool attentionCheck = false;
    std::string question;
    std::string answer;       ///< the Likert point as text ("5"), or free text
    double responseMs = 0.0;  ///< from the stimulus on screen to the confirmation, on a monotonic clock
    std::string answeredUtc;
    std::string source;  ///< "gui" or "html"
};

/// The analysis of a study (docs/STUDY.md, "The analysis"). Descriptive statistics pool the ratings of the
/// included participants; the tests compare participants' mean ratings, so each participant counts once.
struct StudyAnalysis {
    struct Participant {
        std::string id;
        std::string source;
        int trialsAnswered = 0;
        int trialsInOrder = 0;
        int attentionChecks = 0;
        int attentionFailures = 0;  ///< attention trials with any Likert answer other than kAttentionCheckAnswer
        bool excluded = false;      ///< more failures than the study allows
    };
    struct ConditionRatings {
        std::string question;
        size_t condition = 0;  ///< index into `conditions`
        std::vector<double> ratings;
        RatingSummary summary;
    };
    struct AcrossConditions {
        std::string question;
        int participants = 0;  ///< included participants who rated every condition
        bool computed = false;
        FriedmanResult friedman;
        std::string note;  ///< why it was not computed
    };
    struct Pair {
        std::string question;
        size_t first = 0, second = 0;  ///< indices into `conditions`
        int participants = 0;
        bool computed = false;  ///< with one participant a signed-rank test says nothing
        WilcoxonResult wilcoxon;
        double pHolm = 1.0;  ///< Holm over the pairs of this question
        std::string note;    ///< why it was not computed
    };

    /// Fewer included participants than this and no two-sided Wilcoxon p-value can fall below 0.05
    /// (the smallest exact p with n pairs is 2/2ⁿ): the report says so.
    static constexpr int kParticipantsForAFivePercentTest = 6;

    std::string title;
    std::vector<StudyCondition> conditions;
    std::vector<std::string> questions;  ///< the Likert questions' ids
    std::vector<Participant> participants;
    std::vector<ConditionRatings> ratings;  ///< question-major, then condition
    std::vector<AcrossConditions> acrossConditions;
    std::vector<Pair> pairs;
};

/// Analyses `responses` of the study: attention checks and exclusions, per condition and question n, mean,
/// median and a bootstrap interval (`resamples`, seeded), Friedman's test over the conditions (three or more)
/// and pairwise Wilcoxon signed-rank tests with Holm's adjustment and the rank-biserial effect size, on the
/// participants who rated every condition. Throws InputError when a response names a condition or question
/// the study lacks.
StudyAnalysis analyzeStudy(const StudyFolder& study, const std::vector<StudyCondition>& conditions,
                           const std::vector<StudyResponse>& responses, uint64_t seed = 0, int resamples = 2000);

/// Writes OUT/summary.csv (per condition and question), OUT/tests.csv (Friedman and the pairs),
/// OUT/participants.csv (answers, attention checks, exclusion) and OUT/report.md + OUT/report.html, which
/// show `figureFile` (relative to OUT; none when empty). Each file atomically. Returns the files written.
std::vector<std::string> writeStudyReport(const StudyAnalysis& analysis, const std::string& outputDir, const std::string& figureFile);

}  // namespace sw
