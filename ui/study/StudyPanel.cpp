#include "study/StudyPanel.h"

#include <QSettings>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include "shell/JobController.h"
#include "shell/ModelLibrary.h"
#include "study/NewStudyDialog.h"
#include "study/ParticipantView.h"
#include "study/ResponseStore.h"
#include "study/StudyBundle.h"
#include "study/StimuliJob.h"
#include "study/StudyCommands.h"
#include "study/StudyFigure.h"
#include "widgets/ToolTip.h"

namespace sw::ui {

namespace {
constexpr const char* kLastStudySetting = "study/last";
}  // namespace

StudyPanel::StudyPanel(ModelLibrary* library, JobController* jobs, QWidget* parent) : QWidget(parent), m_library(library), m_jobs(jobs) {
    setObjectName("studyPanel");
    m_header = new QLabel(tr("No study open. File → New study builds one from the workspace's models; Open study… opens a folder."));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);
    m_stimuliCheck = new QLabel;
    m_stimuliCheck->setObjectName("stimuliCheck");
    m_stimuliCheck->setWordWrap(true);
    auto* open = new QPushButton(tr("Open study…"));
    auto* create = new QPushButton(tr("New study…"));
    connect(open, &QPushButton::clicked, this, &StudyPanel::chooseStudy);
    connect(create, &QPushButton::clicked, this, &StudyPanel::newStudy);
    m_run = new QPushButton(tr("Run participant…"));
    m_run->setObjectName("runParticipant");
    m_run->setToolTip(wrappedToolTip(
        tr("The participant's screen fills the display; the experimenter leaves it with %1").arg(ParticipantView::kExperimenterExitKey)));
    m_import = new QPushButton(tr("Import browser responses…"));
    m_import->setToolTip(wrappedToolTip(tr("The files the browser study downloads at its end (responses-*.json or .csv)")));
    m_browser = new QPushButton(tr("Open the browser study"));
    m_browser->setToolTip(
        wrappedToolTip(tr("participant/study.html, the browser study as a participant sees it. Online participants "
                          "get only the participant bundle (Export browser study…), never the study folder: it holds "
                          "the key and everyone's answers.")));
    m_export = new QPushButton(tr("Export browser study…"));
    m_export->setToolTip(
        wrappedToolTip(tr("Checks the participant bundle (stimuli as in the manifest, nothing of the key) and packs it "
                          "into a zip file to send or put on a web server")));
    m_report = new QPushButton(tr("Write report"));
    m_report->setToolTip(
        wrappedToolTip(tr("Per condition and question: n, mean, median, 95 % bootstrap interval; Friedman and Wilcoxon tests; "
                          "exclusions by attention checks. Written to the study's report folder.")));
    connect(m_run, &QPushButton::clicked, this, &StudyPanel::askForParticipant);
    connect(m_import, &QPushButton::clicked, this, &StudyPanel::chooseImportFiles);
    connect(m_browser, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(QString::fromStdString(m_study->bundlePath())).filePath("study.html")));
    });
    connect(m_export, &QPushButton::clicked, this, &StudyPanel::chooseExportFile);
    connect(m_report, &QPushButton::clicked, this, [this] {
        const QString problem = writeReport();
        if (!problem.isEmpty()) QMessageBox::warning(this, tr("Report"), problem);
    });
    // Two rows: the folder's actions, then the participants'. One row is wider than a 1280-pixel screen in
    // presentation mode.
    auto* folderButtons = new QHBoxLayout;
    for (auto* button : {open, create, m_report}) folderButtons->addWidget(button);
    folderButtons->addStretch();
    auto* buttons = new QHBoxLayout;
    for (auto* button : {m_run, m_import, m_browser, m_export}) buttons->addWidget(button);
    buttons->addStretch();

    m_participants = new QTableWidget(0, 4);
    m_participants->setObjectName("participantsTable");
    m_participants->setHorizontalHeaderLabels({tr("Participant"), tr("Order"), tr("Where"), tr("Answered")});
    m_participants->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_participants->horizontalHeader()->setStretchLastSection(true);
    m_participants->verticalHeader()->hide();
    m_participants->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_participants->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_reportView = new QTextBrowser;
    m_reportView->setObjectName("studyReport");
    m_reportView->setPlaceholderText(tr("Write report shows the analysis here."));
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_participants);
    split->addWidget(m_reportView);
    split->setStretchFactor(1, 2);

    // After a crash or a break, the unfinished participant is offered first: nobody has to remember an ID.
    m_resumeOffer = new QWidget;
    m_resumeOffer->setObjectName("resumeOffer");
    auto* offer = new QHBoxLayout(m_resumeOffer);
    offer->setContentsMargins(0, 0, 0, 0);
    m_resumeText = new QLabel;
    m_resumeText->setObjectName("resumeText");
    m_resumeText->setWordWrap(true);
    m_resumeButton = new QPushButton;
    m_resumeButton->setObjectName("resumeParticipant");
    offer->addWidget(m_resumeText, 1);
    offer->addWidget(m_resumeButton);
    connect(m_resumeButton, &QPushButton::clicked, this, [this] {
        const auto unfinished = unfinishedParticipants();
        if (unfinished.isEmpty()) return;
        const QString problem = runParticipant(unfinished.first());
        if (!problem.isEmpty()) QMessageBox::warning(this, tr("Resume participant"), problem);
    });
    m_resumeOffer->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_stimuliCheck);
    layout->addWidget(m_resumeOffer);
    layout->addLayout(folderButtons);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    refresh();
}

StudyPanel::~StudyPanel() {
    if (m_participantView) delete m_participantView;  // it reads the store and the study
}

ParticipantView* StudyPanel::participantView() const { return m_participantView; }

QString StudyPanel::openStudy(const QString& folder) {
    if (m_participantView) return tr("A participant session is running; end it first (%1).").arg(ParticipantView::kExperimenterExitKey);
    std::unique_ptr<StudyFolder> study;
    std::vector<std::string> problems;
    try {
        study = std::make_unique<StudyFolder>(loadStudyFolder(folder.toStdString()));
        problems = checkStudyBundle(*study);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    m_store.reset();
    m_study = std::move(study);
    try {
        m_store = std::make_unique<ResponseStore>(*m_study);
    } catch (const StudyStoreError& error) {
        m_study.reset();
        refresh();
        return QString::fromUtf8(error.what());
    }
    QStringList lines;
    for (const auto& problem : problems) lines << QString::fromStdString(problem);
    m_stimuliCheck->setStyleSheet(problems.empty() ? "color: #1a7f37" : "color: #c8102e");
    m_stimuliCheck->setText(
        problems.empty()
            ? tr("All %1 stimulus files match the manifest, and the participant bundle holds nothing of the key.")
                  .arg(m_study->fileHashes.size())
            : tr("The participant bundle has problems — do not run or send the study until they are fixed:\n%1").arg(lines.join('\n')));
    m_reportView->clear();
    const QString report = QDir(folder).filePath("report/report.html");
    if (QFileInfo::exists(report)) showReport();
    refresh();
    QSettings().setValue(kLastStudySetting, QFileInfo(folder).absoluteFilePath());
    Q_EMIT statusMessage(tr("Opened study %1").arg(folder));
    return problems.empty() ? QString() : m_stimuliCheck->text();
}

void StudyPanel::chooseStudy() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Open a study folder (written by New study or saliency-cli stimuli)"));
    if (folder.isEmpty()) return;
    const QString problem = openStudy(folder);
    if (!problem.isEmpty()) QMessageBox::warning(this, tr("Open study"), problem);
}

void StudyPanel::newStudy() {
    NewStudyDialog dialog(m_library->models(), m_library->workspace().datasetSpec(), m_jobs, this);
    if (dialog.exec() != QDialog::Accepted) return;
    auto request = dialog.request();
    request.device = m_jobs->computeDevice().toStdString();
    const QString folder = QString::fromStdString(request.outputDir);
    m_jobs->submit(
        tr("Build study stimuli in %1").arg(QFileInfo(folder).fileName()),
        [request](Feedback& feedback) { return runStimuliJob(request, feedback); }, this,
        [this, folder](const JobResult& result) {
            if (result.outcome != Outcome::Completed) return;  // the jobs panel reports failures
            const QString problem = openStudy(folder);
            if (!problem.isEmpty()) QMessageBox::warning(this, tr("New study"), problem);
        });
}

QStringList StudyPanel::unfinishedParticipants() const {
    QStringList ids;
    if (!m_store) return ids;
    for (const auto& participant : m_store->participants()) {
        if (participant.source == "gui" && !participant.finished()) ids << participant.id;
    }
    return ids;
}

bool StudyPanel::reopenLastStudy() {
    const QString last = QSettings().value(kLastStudySetting).toString();
    if (last.isEmpty() || !QFileInfo(last).isDir()) return false;
    const QString problem = openStudy(last);
    if (!problem.isEmpty()) Q_EMIT statusMessage(tr("The last study, %1: %2").arg(last, problem.section('\n', 0, 0)));
    return m_study != nullptr;
}

QString StudyPanel::suggestedParticipantId() const {
    for (int n = 1;; ++n) {
        const QString id = QString("P%1").arg(n, 3, 10, QChar('0'));
        if (!m_store || !m_store->participant(id)) return id;
    }
}

void StudyPanel::askForParticipant() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Run participant"));
    // Unfinished participants first (resume), then the next new ID; any other ID can be typed.
    auto* id = new QComboBox;
    id->setObjectName("participantChoice");
    id->setEditable(true);
    id->setInsertPolicy(QComboBox::NoInsert);
    for (const auto& unfinished : unfinishedParticipants()) {
        const auto known = m_store->participant(unfinished);
        id->addItem(tr("%1 — resume at picture %2 of %3").arg(unfinished).arg(known->trialsAnswered + 1).arg(known->trialsInOrder),
                    unfinished);
    }
    id->addItem(tr("%1 — new participant").arg(suggestedParticipantId()), suggestedParticipantId());
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Participant ID"), id);
    auto* note = new QLabel(tr("A new ID starts with consent and instructions; an ID that stopped early resumes at its next "
                               "unanswered picture. The screen is the participant's until you press %1.")
                                .arg(ParticipantView::kExperimenterExitKey));
    note->setWordWrap(true);
    form->addRow(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    // A listed entry stands for its ID; anything typed is taken as it is.
    const int listed = id->findText(id->currentText());
    const QString chosen = listed >= 0 ? id->itemData(listed).toString() : id->currentText().trimmed();
    const QString problem = runParticipant(chosen);
    if (!problem.isEmpty()) QMessageBox::warning(this, tr("Run participant"), problem);
}

QString StudyPanel::bundleProblems() const {
    try {
        QStringList lines;
        for (const auto& problem : checkStudyBundle(*m_study)) lines << QString::fromStdString(problem);
        return lines.join('\n');
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
}

void StudyPanel::chooseExportFile() {
    const QString suggested = QDir(QString::fromStdString(m_study->path))
                                  .filePath(QFileInfo(QString::fromStdString(m_study->path)).fileName() + "-participant.zip");
    const QString file = QFileDialog::getSaveFileName(this, tr("Export the browser study"), suggested, tr("Zip files (*.zip)"));
    if (file.isEmpty()) return;
    const QString problem = exportBundle(file);
    if (problem.isEmpty())
        QMessageBox::information(this, tr("Export browser study"),
                                 tr("Wrote %1.\n\nSend this file to participants or put its contents on a web server. Never send or "
                                    "host the study folder itself: it holds the key and everyone's answers.")
                                     .arg(file));
    else
        QMessageBox::warning(this, tr("Export browser study"), problem);
}

QString StudyPanel::exportBundle(const QString& zipFile) {
    if (!m_study) return tr("Open a study first.");
    try {
        writeStudyBundleZip(*m_study, zipFile.toStdString());
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    Q_EMIT statusMessage(tr("Exported the participant bundle to %1").arg(zipFile));
    return {};
}

QString StudyPanel::runParticipant(const QString& participantId) {
    if (!m_store) return tr("Open a study first.");
    if (m_participantView) return tr("A participant session is already running.");
    if (participantId.isEmpty()) return tr("Enter a participant ID.");
    if (const QString problems = bundleProblems(); !problems.isEmpty())
        return tr("The study's stimuli or bundle have problems; fix them before anyone takes part:\n%1").arg(problems);
    int order = m_store->nextOrder();
    if (const auto known = m_store->participant(participantId)) {
        if (known->finished()) return tr("Participant %1 has already answered every trial; choose another ID.").arg(participantId);
        if (known->source != "gui") return tr("Participant %1 took part in the browser; choose another ID.").arg(participantId);
        order = known->order;
    }
    m_participantView = new ParticipantView(*m_study, *m_store, participantId, order);
    Q_EMIT participantSessionStarted(m_participantView);
    connect(m_participantView, &ParticipantView::closed, this, [this] {
        m_participantView.clear();  // it deletes itself once closed; the session is over now
        refresh();
    });
    m_participantView->present(window());
    return {};
}

void StudyPanel::chooseImportFiles() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Import the browser study's downloads"), {}, tr("Responses (*.json *.csv)"));
    if (files.isEmpty()) return;
    QMessageBox::information(this, tr("Import"), importFiles(files));
}

QString StudyPanel::importFiles(const QStringList& files) {
    if (!m_store) return tr("Open a study first.");
    QStringList lines;
    for (const auto& file : files) {
        try {
            lines << m_store->importResponses(readBrowserImport(*m_study, file));
        } catch (const StudyStoreError& error) {
            lines << tr("not imported: %1").arg(QString::fromUtf8(error.what()));
        }
    }
    refresh();
    Q_EMIT statusMessage(lines.join("; "));
    return lines.join('\n');
}

QString StudyPanel::writeReport() {
    if (!m_study) return tr("Open a study first.");
    const auto outcome = writeStudyReportFolder(m_study->path, inProcessStudyFigure());
    if (!outcome.ok) return QString::fromStdString(outcome.message);
    showReport();
    Q_EMIT statusMessage(QString::fromStdString(outcome.message).section('\n', -1));
    return {};
}

void StudyPanel::showReport() {
    const QString report = QDir(QString::fromStdString(m_study->path)).filePath("report/report.html");
    m_reportView->setSearchPaths({QFileInfo(report).absolutePath()});
    m_reportView->setSource(QUrl::fromLocalFile(report));
    m_reportView->reload();
}

void StudyPanel::refresh() {
    const bool open = m_study && m_store;
    for (auto* button : {m_run, m_import, m_browser, m_export, m_report}) button->setEnabled(open);
    m_participants->setRowCount(0);
    m_resumeOffer->hide();
    if (!open) return;
    if (const auto unfinished = unfinishedParticipants(); !unfinished.isEmpty() && !m_participantView) {
        const auto first = m_store->participant(unfinished.first());
        m_resumeText->setText(tr("%1 stopped after %2 of %3 pictures (answers saved).%4")
                                  .arg(first->id)
                                  .arg(first->trialsAnswered)
                                  .arg(first->trialsInOrder)
                                  .arg(unfinished.size() > 1
                                           ? tr(" %1 more unfinished: %2.").arg(unfinished.size() - 1).arg(unfinished.mid(1).join(", "))
                                           : QString()));
        m_resumeButton->setText(tr("Resume %1").arg(first->id));
        m_resumeOffer->show();
    }
    m_header->setText(tr("%1 — %2 (%3 orders of %4 trials; study id %5)")
                          .arg(QString::fromStdString(m_study->settings.title), QString::fromStdString(m_study->path))
                          .arg(m_study->orders.size())
                          .arg(m_study->orders.front().size())
                          .arg(QString::fromStdString(m_study->studyId)));
    auto participants = m_store->participants();
    // The unfinished first: those are the ones an experimenter has to act on.
    std::stable_sort(participants.begin(), participants.end(), [](const auto& a, const auto& b) { return !a.finished() && b.finished(); });
    m_participants->setRowCount(participants.size());
    for (int row = 0; row < participants.size(); ++row) {
        const auto& participant = participants[row];
        const QStringList cells = {participant.id, QString::number(participant.order),
                                   participant.source == "html" ? tr("browser") : tr("here"),
                                   participant.finished() ? tr("all %1").arg(participant.trialsInOrder)
                                                          : tr("%1 of %2").arg(participant.trialsAnswered).arg(participant.trialsInOrder)};
        for (int column = 0; column < cells.size(); ++column) m_participants->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
}

}  // namespace sw::ui
