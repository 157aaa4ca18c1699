#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "StudyFixture.h"
#include "study/ResponseStore.h"

using namespace sw;
using namespace sw::ui;

/// The response database: WAL and durable commits, one trial at a time and never twice, duplicates and
/// foreign or tampered imports refused without a trace, and clear messages for damaged or locked files.
class TestResponseStore : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString folder(const QString& name) {
        const QString path = m_dir.filePath(name);
        sw::ui::test::makeStudyFolder(path);
        return path;
    }
    static TrialAnswers answers(int trial, const QString& first, const QString& second) { return {trial, {first, second}, 1234.5}; }

private Q_SLOTS:
    void storesTrialsDurablyAndInOrder() {
        const auto study = loadStudyFolder(folder("durable").toStdString());
        ResponseStore store(study);
        {
            QSqlDatabase reader = QSqlDatabase::addDatabase("QSQLITE", "reader");
            reader.setDatabaseName(store.databasePath());
            QVERIFY(reader.open());
            QSqlQuery mode(reader);
            QVERIFY(mode.exec("PRAGMA journal_mode") && mode.next());
            QCOMPARE(mode.value(0).toString(), QString("wal"));
        }
        QSqlDatabase::removeDatabase("reader");
        QCOMPARE(store.nextOrder(), 0);
        store.addParticipant("P001", 0);
        QCOMPARE(store.nextOrder(), 1);  // balance: the next participant takes the next order
        store.recordTrial("P001", answers(0, "5", "6"));
        store.recordTrial("P001", answers(1, "2", "3"));
        QVERIFY_THROWS_EXCEPTION(StudyStoreError, store.recordTrial("P001", answers(1, "7", "7")));  // twice
        QVERIFY_THROWS_EXCEPTION(StudyStoreError, store.recordTrial("P001", answers(5, "7", "7")));  // skipping
        QVERIFY_THROWS_EXCEPTION(StudyStoreError, store.addParticipant("P001", 1));                  // duplicate ID
        QVERIFY_THROWS_EXCEPTION(StudyStoreError, store.addParticipant("P002", 99));                 // no such order
        const auto rows = store.responses();
        QCOMPARE(rows.size(), size_t(4));
        QCOMPARE(rows[2].trial, 1);
        QCOMPARE(rows[2].question, std::string("sufficient"));
        QCOMPARE(rows[2].answer, std::string("2"));
        QCOMPARE(rows[2].file, study.orders[0][1].file);
        QCOMPARE(rows[2].sha256, study.orders[0][1].sha256);
        QCOMPARE(rows[2].responseMs, 1234.5);
        QCOMPARE(store.participant("P001")->trialsAnswered, 2);
    }

    void reopeningKeepsEverythingAndRefusesAnotherStimulusSet() {
        const QString path = folder("reopen");
        {
            const auto study = loadStudyFolder(path.toStdString());
            ResponseStore store(study);
            store.addParticipant("P001", 2);
            store.recordTrial("P001", answers(0, "4", "4"));
        }
        const auto study = loadStudyFolder(path.toStdString());
        {
            ResponseStore again(study);
            QCOMPARE(again.participant("P001")->trialsAnswered, 1);
            QCOMPARE(again.participant("P001")->order, 2);
        }
        // Rebuilt stimuli (another orders.csv) must not inherit the old answers.
        QFile orders(path + "/orders.csv");
        QVERIFY(orders.open(QIODevice::Append));
        orders.write("0,7,stimuli/attention.png,,,1\n");
        orders.close();
        try {
            const auto rebuilt = loadStudyFolder(path.toStdString());
            ResponseStore store(rebuilt);
            QFAIL("a database of another stimulus set was opened");
        } catch (const StudyStoreError& error) {
            QVERIFY2(QString(error.what()).contains("another stimulus set"), error.what());
        }
    }

    void damagedOrLockedDatabasesAreReportedNotOverwritten() {
        const QString path = folder("damaged");
        const auto study = loadStudyFolder(path.toStdString());
        QFile junk(path + "/responses.sqlite");
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        try {
            ResponseStore store(study);
            QFAIL("a damaged database was opened");
        } catch (const StudyStoreError& error) {
            QVERIFY2(QString(error.what()).contains("responses.sqlite") && QString(error.what()).contains("damaged"), error.what());
        }
        QFile kept(path + "/responses.sqlite");
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray(4096, 'x'));  // left as it was, for recovery

        const QString lockedPath = folder("locked");
        const auto lockedStudy = loadStudyFolder(lockedPath.toStdString());
        ResponseStore store(lockedStudy);
        store.addParticipant("P001", 0);
        QSqlDatabase other = QSqlDatabase::addDatabase("QSQLITE", "other");
        other.setDatabaseName(store.databasePath());
        QVERIFY(other.open());
        QSqlQuery lock(other);
        QVERIFY(lock.exec("BEGIN EXCLUSIVE"));
        try {
            store.recordTrial("P001", answers(0, "3", "3"));
            QFAIL("a locked database took an answer");
        } catch (const StudyStoreError& error) {
            QVERIFY2(QString(error.what()).contains("locked"), error.what());
        }
        QVERIFY(lock.exec("ROLLBACK"));
        store.recordTrial("P001", answers(0, "3", "3"));  // the same answer, once the lock is gone
        QCOMPARE(store.participant("P001")->trialsAnswered, 1);
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase("other");
    }

    void importsBrowserDownloadsWholeOrNotAtAll() {
        const QString path = folder("import");
        const auto study = loadStudyFolder(path.toStdString());
        ResponseStore store(study);
        const auto& trials = study.orders[1];
        auto download = [&](const QString& participant, const QString& studyId) {
            QJsonArray rows;
            for (const auto& trial : trials) {
                for (const char* question : {"sufficient", "trust"}) {
                    rows.append(QJsonObject{{"trial", trial.trial},
                                            {"file", QString::fromStdString(trial.file)},
                                            {"sha256", QString::fromStdString(trial.sha256)},
                                            {"attention_check", trial.attentionCheck},
                                            {"question", question},
                                            {"answer", trial.attentionCheck ? "1" : "6"},
                                            {"response_ms", 900.0},
                                            {"answered_utc", "2026-11-28T08:00:00.000Z"}});
                }
            }
            return QJsonObject{{"format", "saliency-workbench-responses/1"},
                               {"study_id", studyId},
                               {"participant", participant},
                               {"order", 1},
                               {"source", "html"},
                               {"responses", rows}};
        };
        auto write = [&](const QString& name, const QJsonObject& object) {
            QFile file(m_dir.filePath(name));
            file.open(QIODevice::WriteOnly);
            file.write(QJsonDocument(object).toJson());
            return file.fileName();
        };
        const QString studyId = QString::fromStdString(study.studyId);
        QVERIFY(store.importResponses(readBrowserImport(study, write("good.json", download("B1", studyId)))).startsWith("imported B1"));
        QCOMPARE(store.participant("B1")->source, QString("html"));
        QVERIFY(store.participant("B1")->finished());
        const size_t rowsAfterGood = store.responses().size();

        auto refused = [&](const QString& file, const QString& expected) {
            try {
                store.importResponses(readBrowserImport(study, file));
                QFAIL(qPrintable(file + " was imported"));
            } catch (const StudyStoreError& error) {
                QVERIFY2(QString(error.what()).contains(expected), error.what());
                QVERIFY2(QString(error.what()).contains(QFileInfo(file).fileName()) || expected == "", error.what());
            }
            QCOMPARE(store.responses().size(), rowsAfterGood);
        };
        refused(write("again.json", download("B1", studyId)), "already in the database");
        refused(write("foreign.json", download("B2", "0123456789abcdef")), "another stimulus set");
        auto tampered = download("B3", studyId);
        auto rows = tampered["responses"].toArray();
        auto row = rows[4].toObject();
        row["sha256"] = QString(64, 'a');
        rows[4] = row;
        tampered["responses"] = rows;
        refused(write("tampered.json", tampered), "differs from manifest.json");
        auto outOfScale = download("B4", studyId);
        rows = outOfScale["responses"].toArray();
        row = rows[0].toObject();
        row["answer"] = "9";
        rows[0] = row;
        outOfScale["responses"] = rows;
        refused(write("scale.json", outOfScale), "is not a point");
        QFile cut(m_dir.filePath("cut.json"));
        cut.open(QIODevice::WriteOnly);
        cut.write(QJsonDocument(download("B5", studyId)).toJson().left(300));
        cut.close();
        refused(cut.fileName(), "not valid JSON");
        QVERIFY(!store.participant("B3") && !store.participant("B4") && !store.participant("B5"));
    }
};

QTEST_GUILESS_MAIN(TestResponseStore)
#include "TestResponseStore.moc"
