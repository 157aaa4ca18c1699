#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QPixmap>
#include <QWidget>

#include "study/StudyFolder.h"

class QButtonGroup;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace sw::ui {

class ResponseStore;

/// The participant's screen (docs/STUDY.md, "Running participants"): full screen, one trial at a time,
/// answered with the mouse or the keyboard alone (1–9 for the current statement, Backspace to go back,
/// Enter for the next trial), with the progress shown. Each confirmed trial is committed to the response
/// database before the next one appears; a participant who returns resumes at their next unanswered trial.
/// Nothing else of the program can be reached until the experimenter presses kExperimenterExitKey.
class ParticipantView : public QWidget {
    Q_OBJECT
public:
    /// The experimenter's way out, announced to them (not to the participant) before a session starts.
    static constexpr const char* kExperimenterExitKey = "Ctrl+Shift+Q";

    /// `participant` is new (asked for consent and added to the store on agreeing) or returning (resumes).
    ParticipantView(const StudyFolder& study, ResponseStore& store, const QString& participant, int order, QWidget* parent = nullptr);

    /// Shows the view full screen on the screen of `anchor` (or the primary screen).
    void present(QWidget* anchor);

    /// What the participant sees now, for tests and the experimenter: "consent", "instructions", "resume",
    /// "trial", "break", "declined", "done".
    QString page() const;
    int currentTrial() const { return m_trial; }
    /// What the experimenter's key does: ends the session (answers already confirmed are stored).
    void endSession();

Q_SIGNALS:
    /// The experimenter pressed the exit key, or the session is over and they closed it.
    void closed();
    /// A page came up: consent, instructions, resume, trial (with its 0-based index), break, done, declined.
    void pageShown(const QString& page, int trial);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct QuestionRow {
        QLabel* text = nullptr;
        QButtonGroup* points = nullptr;  ///< Likert: one checkable button per point
        QLineEdit* freeText = nullptr;   ///< text questions
        QWidget* frame = nullptr;
    };

    void applyStyle(int fontPixels);  ///< every text at this size, headings half as large again
    QWidget* buildTextPage(const QString& name, const QString& heading, const QString& body, const QString& hint);
    QWidget* buildTrialPage();
    void showPage(const QString& name);
    void agreeToConsent();
    void startTrial();
    void answerCurrent(int point);
    void setCurrentQuestion(int question);
    bool allLikertAnswered() const;
    void confirmTrial();
    void advance();
    void updateImage();

    const StudyFolder& m_study;
    ResponseStore& m_store;
    QString m_participant;
    int m_order = 0;
    int m_trial = 0;
    int m_currentQuestion = 0;
    bool m_exitAllowed = false;
    QElapsedTimer m_shownAt;  ///< monotonic: from the stimulus on screen to the confirmation
    QPixmap m_stimulus;

    QStackedWidget* m_pages = nullptr;
    QLabel* m_image = nullptr;
    QLabel* m_progressText = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_saveError = nullptr;
    QPushButton* m_next = nullptr;
    QList<QuestionRow> m_rows;
    QLabel* m_resumeText = nullptr;
};

}  // namespace sw::ui
