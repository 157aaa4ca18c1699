#include "study/ResponseStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>
#include <map>

#include "util/ListParsing.h"

namespace sw::ui {

namespace {

constexpr int kSchemaVersion = 1;

/// SQLite's own words, turned into what the experimenter can do about it.
QString explainSqlError(const QSqlError& error) {
    const QString text = error.text();
    if (text.contains("locked", Qt::CaseInsensitive) || text.contains("busy", Qt::CaseInsensitive))
        return "the database is locked by another program (is the study open in another window?)";
    if (text.contains("full", Qt::CaseInsensitive)) return "the disk is full";
    if (text.contains("not a database", Qt::CaseInsensitive) || text.contains("malformed", Qt::CaseInsensitive))
        return "the file is damaged (not a readable SQLite database); move it aside and keep it for recovery";
    if (text.contains("readonly", Qt::CaseInsensitive) || text.contains("read-only", Qt::CaseInsensitive))
        return "the file or its folder is read-only";
    return text;
}

QString nowUtc() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

}  // namespace

ResponseStore::ResponseStore(const StudyFolder& study)
    : m_study(study),
      m_path(QDir(QString::fromStdString(study.path)).filePath(kResponseDatabaseFile)),
      m_connection("responses-" + QUuid::createUuid().toString(QUuid::WithoutBraces)) {
    try {
        open();
    } catch (...) {
        // No destructor runs for a constructor that throws: let go of the connection here.
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
        throw;
    }
}

void ResponseStore::open() {
    if (!QSqlDatabase::isDriverAvailable("QSQLITE"))
        throw StudyStoreError("Qt's SQLite driver is not installed, so responses cannot be stored (Debian: libqt6sql6-sqlite)");
    auto db = QSqlDatabase::addDatabase("QSQLITE", m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions("QSQLITE_BUSY_TIMEOUT=3000");
    if (!db.open()) throw StudyStoreError(m_path.toStdString() + ": cannot be opened: " + explainSqlError(db.lastError()).toStdString());
    // WAL keeps readers and the writer apart; synchronous=FULL makes every commit durable across power cuts.
    {
        QSqlQuery check(db);
        if (!check.exec("PRAGMA quick_check") || !check.next() || check.value(0).toString() != "ok") {
            const QString cause = check.lastError().isValid() ? explainSqlError(check.lastError()) : "its integrity check failed";
            throw StudyStoreError(m_path.toStdString() + ": " + cause.toStdString() + "; nothing was changed");
        }
    }  // the check's statement must end before the journal mode can change
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=FULL");
    execute("PRAGMA foreign_keys=ON");
    inTransaction("set up the database", [&] {
        execute("CREATE TABLE IF NOT EXISTS study (study_id TEXT NOT NULL, created_utc TEXT NOT NULL)");
        execute(
            "CREATE TABLE IF NOT EXISTS participants (id TEXT PRIMARY KEY, order_number INTEGER NOT NULL, source TEXT NOT NULL, "
            "started_utc TEXT NOT NULL)");
        execute(
            "CREATE TABLE IF NOT EXISTS responses (participant TEXT NOT NULL REFERENCES participants(id), trial INTEGER NOT NULL, "
            "question TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, attention_check INTEGER NOT NULL, answer TEXT NOT NULL, "
            "response_ms REAL NOT NULL, answered_utc TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (participant, trial, question))");
        QSqlQuery owner(database());
        owner.exec("SELECT study_id FROM study");
        const QString studyId = QString::fromStdString(m_study.studyId);
        if (!owner.next()) {
            QSqlQuery insert(database());
            insert.prepare("INSERT INTO study (study_id, created_utc) VALUES (?, ?)");
            insert.addBindValue(studyId);
            insert.addBindValue(nowUtc());
            if (!insert.exec()) throw StudyStoreError(explainSqlError(insert.lastError()).toStdString());
            execute(QString("PRAGMA user_version=%1").arg(kSchemaVersion));
        } else if (owner.value(0).toString() != studyId) {
            throw StudyStoreError(m_path.toStdString() + ": belongs to another stimulus set (study id " +
                                  owner.value(0).toString().toStdString() + ", this folder's is " + m_study.studyId +
                                  "); the stimuli were rebuilt after answers were given");
        }
    });
}

ResponseStore::~ResponseStore() {
    { database().close(); }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase ResponseStore::database() const { return QSqlDatabase::database(m_connection, false); }

void ResponseStore::execute(const QString& statement) const {
    QSqlQuery query(database());
    if (!query.exec(statement))
        throw StudyStoreError(m_path.toStdString() + ": " + explainSqlError(query.lastError()).toStdString() + " (" +
                              statement.left(40).toStdString() + "…)");
}

template <typename Work>
void ResponseStore::inTransaction(const QString& what, Work work) const {
    auto db = database();
    if (!db.transaction())
        throw StudyStoreError(m_path.toStdString() + ": cannot " + what.toStdString() + ": " +
                              explainSqlError(db.lastError()).toStdString());
    try {
        work();
    } catch (...) {
        db.rollback();
        throw;
    }
    if (!db.commit()) {
        const QString cause = explainSqlError(db.lastError());
        db.rollback();
        throw StudyStoreError(m_path.toStdString() + ": could not " + what.toStdString() + ": " + cause.toStdString() +
                              ". Everything saved before is kept.");
    }
}

std::optional<ResponseStore::Participant> ResponseStore::participant(const QString& id) const {
    for (const auto& participant : participants()) {
        if (participant.id == id) return participant;
    }
    return std::nullopt;
}

QList<ResponseStore::Participant> ResponseStore::participants() const {
    QSqlQuery query(database());
    query.exec(
        "SELECT p.id, p.order_number, p.source, COUNT(DISTINCT r.trial) FROM participants p LEFT JOIN responses r ON r.participant = p.id "
        "GROUP BY p.id ORDER BY p.started_utc, p.id");
    QList<Participant> list;
    while (query.next()) {
        Participant participant;
        participant.id = query.value(0).toString();
        participant.order = query.value(1).toInt();
        participant.source = query.value(2).toString();
        participant.trialsAnswered = query.value(3).toInt();
        const auto order = size_t(participant.order);
        participant.trialsInOrder = order < m_study.orders.size() ? int(m_study.orders[order].size()) : 0;
        list.push_back(participant);
    }
    return list;
}

int ResponseStore::nextOrder() const {
    std::map<int, int> uses;
    for (const auto& participant : participants()) ++uses[participant.order];
    // The least used order, the lowest among equals: whole Latin-square blocks fill up in turn.
    int best = 0;
    for (int order = 0; order < int(m_study.orders.size()); ++order) {
        if (uses[order] < uses[best]) best = order;
    }
    return best;
}

void ResponseStore::addParticipant(const QString& id, int order, const QString& source) {
    if (id.trimmed().isEmpty()) throw StudyStoreError("a participant needs an ID");
    if (participant(id))
        throw StudyStoreError("participant " + id.toStdString() + " is already in " + m_path.toStdString() +
                              "; resume them or choose another ID");
    if (order < 0 || size_t(order) >= m_study.orders.size())
        throw StudyStoreError("order " + std::to_string(order) + " does not exist: orders.csv has " +
                              std::to_string(m_study.orders.size()));
    inTransaction("add participant " + id, [&] {
        QSqlQuery insert(database());
        insert.prepare("INSERT INTO participants (id, order_number, source, started_utc) VALUES (?, ?, ?, ?)");
        insert.addBindValue(id);
        insert.addBindValue(order);
        insert.addBindValue(source);
        insert.addBindValue(nowUtc());
        if (!insert.exec()) throw StudyStoreError(m_path.toStdString() + ": " + explainSqlError(insert.lastError()).toStdString());
    });
}

void ResponseStore::insertResponse(const StudyResponse& response) const {
    QSqlQuery insert(database());
    insert.prepare(
        "INSERT INTO responses (participant, trial, question, file, sha256, attention_check, answer, response_ms, answered_utc, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.addBindValue(QString::fromStdString(response.participant));
    insert.addBindValue(response.trial);
    insert.addBindValue(QString::fromStdString(response.question));
    insert.addBindValue(QString::fromStdString(response.file));
    insert.addBindValue(QString::fromStdString(response.sha256));
    insert.addBindValue(response.attentionCheck ? 1 : 0);
    insert.addBindValue(QString::fromStdString(response.answer));
    insert.addBindValue(response.responseMs);
    insert.addBindValue(QString::fromStdString(response.answeredUtc));
    insert.addBindValue(QString::fromStdString(response.source));
    if (!insert.exec()) {
        throw StudyStoreError(m_path.toStdString() + ": could not store trial " + std::to_string(response.trial) + " of " +
                              response.participant + ": " + explainSqlError(insert.lastError()).toStdString());
    }
}

void ResponseStore::recordTrial(const QString& participantId, const TrialAnswers& answers) {
    const auto known = participant(participantId);
    if (!known) throw StudyStoreError("participant " + participantId.toStdString() + " is not in " + m_path.toStdString());
    if (answers.trial != known->trialsAnswered) {
        throw StudyStoreError("participant " + participantId.toStdString() + ": trial " + std::to_string(answers.trial) + " given, trial " +
                              std::to_string(known->trialsAnswered) + " is next");
    }
    const auto& questions = m_study.settings.questions;
    if (answers.answers.size() != int(questions.size())) throw StudyStoreError("one answer per question is needed");
    const auto& trial = m_study.orders[size_t(known->order)].at(size_t(answers.trial));
    const QString answeredUtc = nowUtc();
    inTransaction(QString("save trial %1 of %2").arg(answers.trial + 1).arg(participantId), [&] {
        for (size_t q = 0; q < questions.size(); ++q) {
            StudyResponse response;
            response.participant = participantId.toStdString();
            response.order = known->order;
            response.trial = trial.trial;
            response.file = trial.file;
            response.sha256 = trial.sha256;
            response.attentionCheck = trial.attentionCheck;
            response.question = questions[q].id;
            response.answer = answers.answers[int(q)].toStdString();
            response.responseMs = answers.responseMs;
            response.answeredUtc = answeredUtc.toStdString();
            response.source = "gui";
            insertResponse(response);
        }
    });
}

std::vector<StudyResponse> ResponseStore::responses() const {
    QSqlQuery query(database());
    query.exec(
        "SELECT r.participant, p.order_number, r.trial, r.file, r.sha256, r.attention_check, r.question, r.answer, r.response_ms, "
        "r.answered_utc, r.source FROM responses r JOIN participants p ON p.id = r.participant ORDER BY p.started_utc, r.participant, "
        "r.trial");
    std::vector<StudyResponse> rows;
    while (query.next()) {
        StudyResponse row;
        row.participant = query.value(0).toString().toStdString();
        row.order = query.value(1).toInt();
        row.trial = query.value(2).toInt();
        row.file = query.value(3).toString().toStdString();
        row.sha256 = query.value(4).toString().toStdString();
        row.attentionCheck = query.value(5).toInt() != 0;
        row.question = query.value(6).toString().toStdString();
        row.answer = query.value(7).toString().toStdString();
        row.responseMs = query.value(8).toDouble();
        row.answeredUtc = query.value(9).toString().toStdString();
        row.source = query.value(10).toString().toStdString();
        rows.push_back(row);
    }
    if (query.lastError().isValid()) throw StudyStoreError(m_path.toStdString() + ": " + explainSqlError(query.lastError()).toStdString());
    return rows;
}

namespace {

/// A browser download, before it is checked: the participant, their order and their rows.
struct BrowserResponses {
    QString studyId;  ///< empty for a CSV download, which carries none (its hashes tie it to the set)
    QString participant;
    int order = -1;
    std::vector<StudyResponse> rows;
};

BrowserResponses readBrowserJson(const QByteArray& bytes, const std::string& fileName) {
    QJsonParseError error;
    const auto document = QJsonDocument::fromJson(bytes, &error);
    if (document.isNull()) throw StudyStoreError(fileName + ": is not valid JSON (" + error.errorString().toStdString() + ")");
    const auto root = document.object();
    if (root.value("format").toString() != "saliency-workbench-responses/1")
        throw StudyStoreError(fileName + ": is not a browser study's responses (expected \"format\": \"saliency-workbench-responses/1\")");
    BrowserResponses file;
    file.studyId = root.value("study_id").toString();
    file.participant = root.value("participant").toString();
    file.order = root.value("order").toInt(-1);
    for (const auto& value : root.value("responses").toArray()) {
        const auto entry = value.toObject();
        StudyResponse row;
        row.trial = entry.value("trial").toInt(-1);
        row.file = entry.value("file").toString().toStdString();
        row.sha256 = entry.value("sha256").toString().toStdString();
        row.attentionCheck = entry.value("attention_check").toBool();
        row.question = entry.value("question").toString().toStdString();
        row.answer = entry.value("answer").toString().toStdString();
        row.responseMs = entry.value("response_ms").toDouble(-1);
        row.answeredUtc = entry.value("answered_utc").toString().toStdString();
        file.rows.push_back(row);
    }
    return file;
}

BrowserResponses readBrowserCsv(const QByteArray& bytes, const std::string& fileName) {
    const auto table = sw::parseCsv(bytes.toStdString(), fileName);
    const std::vector<std::string> header = {"participant",     "order",    "trial",  "file",        "sha256",
                                             "attention_check", "question", "answer", "response_ms", "answered_utc"};
    if (table.empty() || table.front() != header) throw StudyStoreError(fileName + ": expected the header " + sw::joinCommaList(header));
    BrowserResponses file;
    for (size_t r = 1; r < table.size(); ++r) {
        const auto& cells = table[r];
        if (cells.size() != header.size()) throw StudyStoreError(fileName + " line " + std::to_string(r + 1) + ": expected 10 fields");
        bool numbers = true, ok = false;
        const int order = QString::fromStdString(cells[1]).toInt(&ok);
        numbers &= ok;
        StudyResponse row;
        row.trial = QString::fromStdString(cells[2]).toInt(&ok);
        numbers &= ok;
        row.responseMs = QString::fromStdString(cells[8]).toDouble(&ok);
        numbers &= ok;
        if (!numbers) throw StudyStoreError(fileName + " line " + std::to_string(r + 1) + ": order, trial and response_ms must be numbers");
        if (file.participant.isEmpty()) {
            file.participant = QString::fromStdString(cells[0]);
            file.order = order;
        } else if (file.participant.toStdString() != cells[0] || file.order != order) {
            throw StudyStoreError(fileName + " line " + std::to_string(r + 1) + ": a download holds one participant in one order");
        }
        row.file = cells[3];
        row.sha256 = cells[4];
        row.attentionCheck = cells[5] == "1";
        row.question = cells[6];
        row.answer = cells[7];
        row.answeredUtc = cells[9];
        file.rows.push_back(row);
    }
    return file;
}

}  // namespace

BrowserImport readBrowserImport(const StudyFolder& study, const QString& path) {
    const std::string fileName = QFileInfo(path).fileName().toStdString();
    QFile input(path);
    if (!input.open(QIODevice::ReadOnly))
        throw StudyStoreError(path.toStdString() + ": cannot be read (" + input.errorString().toStdString() + ")");
    const QByteArray bytes = input.readAll();
    auto file = path.endsWith(".csv", Qt::CaseInsensitive) ? readBrowserCsv(bytes, fileName) : readBrowserJson(bytes, fileName);

    if (!file.studyId.isEmpty() && file.studyId.toStdString() != study.studyId)
        throw StudyStoreError(fileName + ": was made with another stimulus set (study id " + file.studyId.toStdString() +
                              ", this folder's is " + study.studyId + ")");
    if (file.participant.trimmed().isEmpty()) throw StudyStoreError(fileName + ": names no participant");
    if (file.order < 0 || size_t(file.order) >= study.orders.size())
        throw StudyStoreError(fileName + ": order " + std::to_string(file.order) + " does not exist in orders.csv");
    if (file.rows.empty()) throw StudyStoreError(fileName + ": holds no answers");
    const auto& trials = study.orders[size_t(file.order)];
    const auto& questions = study.settings.questions;
    std::map<int, size_t> answersPerTrial;
    for (size_t i = 0; i < file.rows.size(); ++i) {
        auto& row = file.rows[i];
        const std::string where = fileName + ", answer " + std::to_string(i + 1) + " (trial " + std::to_string(row.trial) + ")";
        if (row.trial < 0 || size_t(row.trial) >= trials.size())
            throw StudyStoreError(where + ": the trial is not in order " + std::to_string(file.order));
        const auto& trial = trials[size_t(row.trial)];
        if (row.file != trial.file) throw StudyStoreError(where + ": shows " + row.file + ", but the order has " + trial.file);
        const auto expected = study.fileHashes.find(row.file);
        if (expected == study.fileHashes.end() || row.sha256 != expected->second)
            throw StudyStoreError(where + ": the SHA-256 of " + row.file + " differs from manifest.json (another version of the stimuli?)");
        const auto question = std::find_if(questions.begin(), questions.end(), [&](const auto& q) { return q.id == row.question; });
        if (question == questions.end()) throw StudyStoreError(where + ": question '" + row.question + "' is not in study.json");
        if (question->isLikert()) {
            bool ok = false;
            const int value = QString::fromStdString(row.answer).toInt(&ok);
            if (!ok || value < 1 || value > question->points)
                throw StudyStoreError(where + ": '" + row.answer + "' is not a point of the 1–" + std::to_string(question->points) +
                                      " scale");
        }
        if (!(row.responseMs >= 0.0)) throw StudyStoreError(where + ": the response time is missing or negative");
        row.participant = file.participant.toStdString();
        row.order = file.order;
        row.attentionCheck = trial.attentionCheck;
        row.source = "html";
        ++answersPerTrial[row.trial];
    }
    // Whole trials from the first on, each with every question once: what the browser study writes.
    int expectedTrial = 0;
    for (const auto& [trial, count] : answersPerTrial) {
        if (trial != expectedTrial++) throw StudyStoreError(fileName + ": trial " + std::to_string(expectedTrial - 1) + " is missing");
        if (count != questions.size())
            throw StudyStoreError(fileName + ": trial " + std::to_string(trial) + " has " + std::to_string(count) + " answers for " +
                                  std::to_string(questions.size()) + " questions");
    }
    BrowserImport download;
    download.fileName = QString::fromStdString(fileName);
    download.participant = file.participant;
    download.order = file.order;
    download.rows = std::move(file.rows);
    download.trialsAnswered = int(answersPerTrial.size());
    download.trialsInOrder = int(trials.size());
    return download;
}

QString ResponseStore::importResponses(const BrowserImport& download) {
    const auto fileName = download.fileName.toStdString();
    if (participant(download.participant))
        throw StudyStoreError(fileName + ": participant " + download.participant.toStdString() +
                              " is already in the database (imported before?)");
    inTransaction("import " + download.fileName, [&] {
        QSqlQuery insert(database());
        insert.prepare("INSERT INTO participants (id, order_number, source, started_utc) VALUES (?, ?, 'html', ?)");
        insert.addBindValue(download.participant);
        insert.addBindValue(download.order);
        insert.addBindValue(QString::fromStdString(download.rows.front().answeredUtc));
        if (!insert.exec()) throw StudyStoreError(m_path.toStdString() + ": " + explainSqlError(insert.lastError()).toStdString());
        for (const auto& row : download.rows) insertResponse(row);
    });
    return QString("imported %1: %2 of %3 trials in order %4")
        .arg(download.participant)
        .arg(download.trialsAnswered)
        .arg(download.trialsInOrder)
        .arg(download.order);
}

}  // namespace sw::ui
