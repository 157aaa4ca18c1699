#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

#include "study/StudyFolder.h"

class QLabel;
class QPushButton;
class QTableWidget;
class QTextBrowser;

namespace sw::ui {

class JobController;
class ModelLibrary;
class ParticipantView;
class ResponseStore;

/// The Study tab (docs/STUDY.md): a study folder's state — its stimuli checked against the manifest, its
/// participants and how far each got — and the experimenter's actions: run a participant full screen,
/// import the browser study's downloads, write and read the report. New studies are built here too (File →
/// New study), as a background job.
class StudyPanel : public QWidget {
    Q_OBJECT
public:
    StudyPanel(ModelLibrary* library, JobController* jobs, QWidget* parent = nullptr);
    ~StudyPanel() override;

    /// Opens a study folder; returns the problem (shown by the caller) or empty. A damaged study.json, a
    /// manifest that the images no longer match, or a locked database are reported here.
    QString openStudy(const QString& folder);
    /// File → New study: the dialog, then the stimuli job; the study opens when it is done.
    void newStudy();
    /// Starts (or resumes) a participant full screen; returns the problem or empty.
    QString runParticipant(const QString& participantId);
    /// Imports browser downloads; returns the summary (one line per file).
    QString importFiles(const QStringList& files);
    /// Writes STUDY/report and shows it; returns the problem or empty.
    QString writeReport();
    /// Checks the participant bundle and packs it into `zipFile`; returns the problem or empty.
    QString exportBundle(const QString& zipFile);

    const StudyFolder* study() const { return m_study.get(); }
    ResponseStore* store() const { return m_store.get(); }
    ParticipantView* participantView() const;  ///< the running session, if any
    /// "P001", "P002", …: the first such ID not in the database.
    QString suggestedParticipantId() const;
    /// Participants who started here and stopped before the end (a crash, a break): the ones to resume first.
    QStringList unfinishedParticipants() const;
    /// The study opened last (remembered across starts), reopened quietly; a problem goes to the status bar.
    /// Returns whether a study is open afterwards.
    bool reopenLastStudy();

Q_SIGNALS:
    void statusMessage(const QString& message);
    /// A participant's session started (its screen is up).
    void participantSessionStarted(ParticipantView* view);

private:
    void chooseStudy();
    void askForParticipant();
    void chooseImportFiles();
    void chooseExportFile();
    /// checkStudyBundle's problems, one per line; empty when the bundle is fit to use.
    QString bundleProblems() const;
    void refresh();
    void showReport();

    ModelLibrary* m_library;
    JobController* m_jobs;
    std::unique_ptr<StudyFolder> m_study;
    std::unique_ptr<ResponseStore> m_store;  ///< reads m_study: declared after it, so destroyed first
    QPointer<ParticipantView> m_participantView;

    QLabel* m_header = nullptr;
    QLabel* m_stimuliCheck = nullptr;
    QWidget* m_resumeOffer = nullptr;  ///< "P001 stopped at picture 6 of 14 — Resume P001", while anyone is unfinished
    QLabel* m_resumeText = nullptr;
    QPushButton* m_resumeButton = nullptr;
    QTableWidget* m_participants = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_import = nullptr;
    QPushButton* m_browser = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_report = nullptr;
    QTextBrowser* m_reportView = nullptr;
};

}  // namespace sw::ui
