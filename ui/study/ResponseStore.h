#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>
#include <stdexcept>
#include <vector>

#include "study/StudyFolder.h"
#include "study/StudyReport.h"

namespace sw::ui {

/// A problem with the response database or a file to import, already worded for the experimenter: it names
/// the file and the cause, and says that nothing saved before was lost.
class StudyStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A browser study's download (.json or .csv), read and checked against the study: one participant's whole
/// trials, each answer on its question's scale, each stimulus hash the manifest's.
struct BrowserImport {
    QString fileName;
    QString participant;
    int order = 0;
    std::vector<StudyResponse> rows;
    int trialsAnswered = 0;
    int trialsInOrder = 0;
};

/// Reads and checks a download against `study` without touching the response database, so a refused file
/// changes nothing in the study folder. Throws StudyStoreError naming the file and what is wrong: another
/// stimulus set, an unknown order, a trial that does not follow the order, a hash that differs from the
/// manifest, an answer off its scale, a missing trial or answer.
BrowserImport readBrowserImport(const StudyFolder& study, const QString& path);

/// The answers of one trial, committed together.
struct TrialAnswers {
    int trial = 0;
    QStringList answers;  ///< one per question of study.json, in its order ("5", or free text)
    double responseMs = 0.0;
};

/// STUDY/responses.sqlite through Qt SQL (docs/STUDY.md): WAL journal with synchronous=FULL, one transaction
/// per trial, so a crash, a power cut or kill -9 loses at most the trial on screen. The database is tied to
/// its stimulus set (the study id) and refuses another set's answers. Every failure throws StudyStoreError.
class ResponseStore {
public:
    /// Opens the study's database, creating it on first use. Throws StudyStoreError when Qt's SQLite driver
    /// is missing, the file is locked by another program, damaged, or belongs to another stimulus set.
    explicit ResponseStore(const StudyFolder& study);
    ~ResponseStore();
    ResponseStore(const ResponseStore&) = delete;
    ResponseStore& operator=(const ResponseStore&) = delete;

    struct Participant {
        QString id;
        int order = 0;
        QString source;  ///< "gui" or "html"
        int trialsAnswered = 0;
        int trialsInOrder = 0;
        bool finished() const { return trialsAnswered >= trialsInOrder; }
    };
    std::optional<Participant> participant(const QString& id) const;
    QList<Participant> participants() const;
    /// The lowest order no participant follows yet, for balance; wraps around when every order is taken.
    int nextOrder() const;
    /// Registers a new participant; throws StudyStoreError when the id is taken ("a duplicate participant").
    void addParticipant(const QString& id, int order, const QString& source = "gui");
    /// Commits one trial's answers in one transaction. The trial must be the participant's next one, so an
    /// answer is never stored twice.
    void recordTrial(const QString& participantId, const TrialAnswers& answers);

    /// Every stored answer, for the analysis.
    std::vector<StudyResponse> responses() const;

    /// Stores a checked download as one participant, in one transaction; refuses a participant already in
    /// the database. Returns a one-line summary.
    QString importResponses(const BrowserImport& download);

    QString databasePath() const { return m_path; }

private:
    void open();  ///< the constructor's work: open, check, set the journal mode, create or verify the tables
    QSqlDatabase database() const;
    void execute(const QString& statement) const;
    /// Inserts one row inside the caller's transaction.
    void insertResponse(const StudyResponse& response) const;
    /// Runs `work` in one transaction: committed when it returns, rolled back when it throws.
    template <typename Work>
    void inTransaction(const QString& what, Work work) const;

    const StudyFolder& m_study;
    QString m_path;
    QString m_connection;
};

}  // namespace sw::ui
