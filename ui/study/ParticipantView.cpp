#include "study/ParticipantView.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCloseEvent>
#include <QDir>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "shell/MainWindow.h"
#include "study/ResponseStore.h"

namespace sw::ui {

namespace {

QLabel* wrappedLabel(const QString& text) {
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

}  // namespace

ParticipantView::ParticipantView(const StudyFolder& study, ResponseStore& store, const QString& participant, int order, QWidget* parent)
    : QWidget(parent, Qt::Window), m_study(study), m_store(store), m_participant(participant), m_order(order) {
    setObjectName("participantView");
    setWindowTitle(QString::fromStdString(study.settings.title));
    setAttribute(Qt::WA_DeleteOnClose);
    setFocusPolicy(Qt::StrongFocus);
    applyStyle(MainWindow::presentationFontPixels(QGuiApplication::primaryScreen()->geometry().height()));

    const auto& settings = study.settings;
    m_pages = new QStackedWidget;
    m_pages->addWidget(buildTextPage("consent", tr("Before we begin"), QString::fromStdString(settings.consent),
                                     tr("Press Enter or click “I agree” to take part.")));
    m_pages->addWidget(
        buildTextPage("instructions", tr("How it works"), QString::fromStdString(settings.instructions), tr("Press Enter to begin.")));
    m_pages->addWidget(buildTextPage("resume", tr("Welcome back"), {}, tr("Press Enter to continue.")));
    m_pages->addWidget(buildTrialPage());
    m_pages->addWidget(buildTextPage("break", tr("Time for a short break"), tr("Rest your eyes for a moment."),
                                     tr("Press Enter when you are ready to go on.")));
    m_pages->addWidget(buildTextPage("declined", tr("Thank you"), tr("You chose not to take part. Nothing was recorded."),
                                     tr("Please tell the experimenter.")));
    m_pages->addWidget(buildTextPage("done", tr("Thank you!"), tr("You have answered every question."),
                                     tr("Please tell the experimenter that you are done.")));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 32, 48, 32);
    layout->addWidget(m_pages);

    // Consent buttons on the consent page.
    auto* consent = m_pages->widget(0);
    auto* buttons = new QHBoxLayout;
    auto* agree = new QPushButton(tr("I agree"));
    auto* decline = new QPushButton(tr("I do not agree"));
    for (auto* button : {agree, decline}) button->setFocusPolicy(Qt::NoFocus);
    buttons->addStretch();
    buttons->addWidget(decline);
    buttons->addWidget(agree);
    auto* consentLayout = static_cast<QVBoxLayout*>(consent->layout());
    consentLayout->insertLayout(consentLayout->count() - 1, buttons);  // right under the text
    connect(agree, &QPushButton::clicked, this, &ParticipantView::agreeToConsent);
    connect(decline, &QPushButton::clicked, this, [this] { showPage("declined"); });

    auto* exitKey = new QShortcut(QKeySequence(kExperimenterExitKey), this);
    exitKey->setContext(Qt::ApplicationShortcut);
    connect(exitKey, &QShortcut::activated, this, &ParticipantView::endSession);

    const auto known = store.participant(participant);
    m_trial = known ? known->trialsAnswered : 0;
    if (!known) {
        showPage("consent");
    } else if (m_trial >= int(study.orders[size_t(order)].size())) {
        showPage("done");
    } else {
        m_resumeText->setText(tr("You continue with picture %1 of %2.").arg(m_trial + 1).arg(study.orders[size_t(order)].size()));
        showPage("resume");
    }
}

QWidget* ParticipantView::buildTextPage(const QString& name, const QString& heading, const QString& body, const QString& hint) {
    auto* page = new QWidget;
    page->setObjectName(name);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch();
    auto* title = wrappedLabel(heading);
    title->setObjectName("heading");
    layout->addWidget(title);
    auto* text = wrappedLabel(body);
    text->setObjectName("body");
    text->setMaximumWidth(1100);
    layout->addWidget(text);
    if (name == "resume") m_resumeText = text;
    auto* hintLabel = wrappedLabel(hint);
    hintLabel->setObjectName("hint");
    layout->addWidget(hintLabel);
    layout->addStretch();
    return page;
}

QWidget* ParticipantView::buildTrialPage() {
    auto* page = new QWidget;
    page->setObjectName("trial");
    auto* layout = new QVBoxLayout(page);
    auto* top = new QHBoxLayout;
    m_progressText = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(12);
    top->addWidget(m_progressText);
    top->addWidget(m_progress, 1);
    layout->addLayout(top);
    m_image = new QLabel;
    m_image->setObjectName("stimulus");
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setMinimumSize(64, 64);
    m_image->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    layout->addWidget(m_image, 1);

    const auto& questions = m_study.settings.questions;
    for (int q = 0; q < int(questions.size()); ++q) {
        const auto& question = questions[size_t(q)];
        QuestionRow row;
        auto* frame = new QFrame;
        frame->setObjectName("question");
        row.frame = frame;
        auto* rowLayout = new QVBoxLayout(frame);
        rowLayout->setContentsMargins(8, 4, 8, 4);
        row.text = wrappedLabel(QString::fromStdString(question.text));
        rowLayout->addWidget(row.text);
        if (question.isLikert()) {
            auto* scale = new QHBoxLayout;
            scale->addWidget(wrappedLabel(QString::fromStdString(question.low)));
            row.points = new QButtonGroup(frame);
            for (int point = 1; point <= question.points; ++point) {
                auto* button = new QPushButton(QString::number(point));
                button->setCheckable(true);
                button->setFocusPolicy(Qt::NoFocus);  // Enter and the digits stay with the view
                row.points->addButton(button, point);
                scale->addWidget(button);
            }
            connect(row.points, &QButtonGroup::idClicked, this, [this, q](int point) {
                setCurrentQuestion(q);
                answerCurrent(point);
            });
            scale->addWidget(wrappedLabel(QString::fromStdString(question.high)));
            rowLayout->addLayout(scale);
        } else {
            row.freeText = new QLineEdit;
            row.freeText->setPlaceholderText(tr("optional: click here to type, Enter when done"));
            connect(row.freeText, &QLineEdit::returnPressed, this, &ParticipantView::confirmTrial);
            rowLayout->addWidget(row.freeText);
        }
        m_rows.push_back(row);
        layout->addWidget(frame);
    }
    auto* bottom = new QHBoxLayout;
    m_saveError = new QLabel;
    m_saveError->setWordWrap(true);
    m_saveError->setObjectName("saveError");
    bottom->addWidget(m_saveError, 1);
    m_next = new QPushButton(tr("Next (Enter)"));
    m_next->setFocusPolicy(Qt::NoFocus);
    connect(m_next, &QPushButton::clicked, this, &ParticipantView::confirmTrial);
    bottom->addWidget(m_next);
    layout->addLayout(bottom);
    return page;
}

void ParticipantView::present(QWidget* anchor) {
    QScreen* screen = anchor && anchor->screen() ? anchor->screen() : QGuiApplication::primaryScreen();
    applyStyle(MainWindow::presentationFontPixels(screen->geometry().height()));
    setGeometry(screen->geometry());
    showFullScreen();
    setGeometry(screen->geometry());  // without a window manager full screen is just a size
    raise();
    activateWindow();
    setFocus();
}

void ParticipantView::applyStyle(int fontPixels) {
    // In the style sheet, not setFont(): widgets styled by a sheet do not take their parent's font.
    setStyleSheet(QString("QWidget#participantView { background: #fafafa; }"
                          "QWidget#participantView QWidget { font-size: %1px; }"
                          "QWidget#participantView QLabel#heading { font-size: %2px; font-weight: bold; }"
                          "QLabel#hint { color: #555; }"
                          "QPushButton { padding: 0.4em 0.9em; }"
                          "QPushButton:checked { background: #1f5fbf; color: white; font-weight: bold; }"
                          "QFrame#question { border: 3px solid transparent; }"
                          "QFrame#question[current=\"true\"] { border: 3px solid #1f5fbf; border-radius: 6px; }"
                          "QLabel#saveError { color: #c8102e; }")
                      .arg(fontPixels)
                      .arg(fontPixels * 3 / 2));
}

QString ParticipantView::page() const { return m_pages->currentWidget()->objectName(); }

void ParticipantView::showPage(const QString& name) {
    for (int i = 0; i < m_pages->count(); ++i) {
        if (m_pages->widget(i)->objectName() == name) m_pages->setCurrentIndex(i);
    }
    setFocus();
    Q_EMIT pageShown(name, m_trial);
}

void ParticipantView::agreeToConsent() {
    try {
        m_store.addParticipant(m_participant, m_order);
    } catch (const StudyStoreError& error) {
        // Shown to whoever is at the screen; the experimenter reads it and exits with their key.
        m_pages->widget(0)->findChild<QLabel*>("body")->setText(tr("The session cannot start: %1").arg(QString::fromUtf8(error.what())));
        return;
    }
    showPage("instructions");
}

void ParticipantView::startTrial() {
    const auto& trials = m_study.orders[size_t(m_order)];
    const auto& trial = trials[size_t(m_trial)];
    m_stimulus = QPixmap(QString::fromStdString(m_study.stimulusPath(trial.file)));
    for (auto& row : m_rows) {
        if (row.points) {
            row.points->setExclusive(false);
            for (auto* button : row.points->buttons()) button->setChecked(false);
            row.points->setExclusive(true);
        }
        if (row.freeText) row.freeText->clear();
    }
    m_progressText->setText(tr("Picture %1 of %2").arg(m_trial + 1).arg(trials.size()));
    m_progress->setRange(0, int(trials.size()));
    m_progress->setValue(m_trial);
    m_saveError->clear();
    showPage("trial");
    updateImage();
    setCurrentQuestion(0);
    m_shownAt.start();
}

void ParticipantView::updateImage() {
    if (m_stimulus.isNull()) {
        m_image->setText(tr("(this picture could not be loaded — please tell the experimenter)"));
        return;
    }
    // As large as the room allows (up to 4×), enlarged by repeating pixels: sharp, never blurred.
    const QSize room = m_image->size().boundedTo(m_stimulus.size() * 4);
    const QPixmap shown = m_stimulus.scaled(room, Qt::KeepAspectRatio, Qt::FastTransformation);
    m_image->setPixmap(shown);
}

void ParticipantView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (page() == "trial") updateImage();
}

void ParticipantView::setCurrentQuestion(int question) {
    m_currentQuestion = std::clamp(question, 0, int(m_rows.size()) - 1);
    for (int q = 0; q < m_rows.size(); ++q) {
        m_rows[q].frame->setProperty("current", q == m_currentQuestion);
        m_rows[q].frame->style()->unpolish(m_rows[q].frame);
        m_rows[q].frame->style()->polish(m_rows[q].frame);
    }
    m_next->setEnabled(allLikertAnswered());
}

void ParticipantView::answerCurrent(int point) {
    auto& row = m_rows[m_currentQuestion];
    if (!row.points) return;
    auto* button = row.points->button(point);
    if (!button) return;  // a key beyond this scale's points
    button->setChecked(true);
    // On to the next Likert statement, so 1–7 twice answers a trial of two.
    int next = m_currentQuestion + 1;
    while (next < m_rows.size() && !m_rows[next].points) ++next;
    setCurrentQuestion(next < m_rows.size() ? next : m_currentQuestion);
}

bool ParticipantView::allLikertAnswered() const {
    return std::all_of(m_rows.begin(), m_rows.end(), [](const QuestionRow& row) { return !row.points || row.points->checkedId() > 0; });
}

void ParticipantView::confirmTrial() {
    if (page() != "trial" || !allLikertAnswered()) return;
    TrialAnswers answers;
    answers.trial = m_trial;
    answers.responseMs = double(m_shownAt.nsecsElapsed()) / 1e6;
    for (const auto& row : m_rows)
        answers.answers << (row.points ? QString::number(row.points->checkedId()) : row.freeText->text().trimmed());
    try {
        m_store.recordTrial(m_participant, answers);
    } catch (const StudyStoreError& error) {
        // The answers stay on screen, so Enter tries again once the experimenter has fixed the cause.
        m_saveError->setText(tr("Your answer could not be saved. Please tell the experimenter. (%1)").arg(QString::fromUtf8(error.what())));
        return;
    }
    ++m_trial;
    advance();
}

void ParticipantView::advance() {
    const int total = int(m_study.orders[size_t(m_order)].size());
    const int breakEvery = m_study.settings.breakEvery;
    if (m_trial >= total) {
        showPage("done");
    } else if (breakEvery > 0 && m_trial % breakEvery == 0) {
        showPage("break");
    } else {
        startTrial();
    }
}

void ParticipantView::keyPressEvent(QKeyEvent* event) {
    const QString name = page();
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (name == "consent" && enter) {
        agreeToConsent();
    } else if ((name == "instructions" || name == "resume" || name == "break") && enter) {
        startTrial();
    } else if (name == "trial") {
        if (event->key() >= Qt::Key_1 && event->key() <= Qt::Key_9) {
            answerCurrent(event->key() - Qt::Key_0);
        } else if (event->key() == Qt::Key_Backspace) {
            setCurrentQuestion(m_currentQuestion - 1);
        } else if (enter) {
            confirmTrial();
        }
    }
    event->accept();  // nothing reaches the rest of the program
}

void ParticipantView::endSession() {
    m_exitAllowed = true;
    close();
}

void ParticipantView::closeEvent(QCloseEvent* event) {
    if (!m_exitAllowed) {
        event->ignore();  // Alt+F4 and the like: only the experimenter's key ends a session
        return;
    }
    Q_EMIT closed();
    event->accept();
}

}  // namespace sw::ui
