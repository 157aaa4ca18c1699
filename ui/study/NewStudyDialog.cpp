#include "study/NewStudyDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QPixmap>
#include <QGroupBox>
#include <QScreen>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include "widgets/MatImage.h"
#include "study/StimuliPreview.h"
#include "shell/JobController.h"
#include "explain/SaliencyMethods.h"
#include "shell/Workspace.h"
#include "widgets/ToolTip.h"

namespace sw::ui {

NewStudyDialog::NewStudyDialog(const QVector<ModelEntry>& models, const QString& datasetSpec, JobController* jobs, QWidget* parent)
    : QDialog(parent), m_datasetSpec(datasetSpec), m_jobs(jobs) {
    setObjectName("newStudyDialog");
    setWindowTitle(tr("New study"));
    const StimuliRequest defaults;

    // Conditions and images.
    auto* stimuli = new QWidget;
    auto* stimuliForm = new QFormLayout(stimuli);
    m_models = new QListWidget;
    m_models->setObjectName("studyModels");
    for (const auto& model : models) {
        if (!model.loadError.isEmpty()) continue;
        auto* item = new QListWidgetItem(QString("%1 — %2").arg(model.displayName(), model.badge()), m_models);
        item->setData(Qt::UserRole, model.path);
        item->setToolTip(model.path);
        item->setCheckState(Qt::Checked);
    }
    m_models->setMaximumHeight(110);
    stimuliForm->addRow(tr("Models"), m_models);
    m_methods = new QListWidget;
    m_methods->setObjectName("studyMethods");
    for (const auto& method : saliencyMethods()) {
        auto* item = new QListWidgetItem(
            QString("%1 — %2").arg(QString::fromStdString(method.name), QString::fromStdString(method.fullName)), m_methods);
        item->setData(Qt::UserRole, QString::fromStdString(method.id));
        item->setCheckState(method.id == "vg" ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(wrappedToolTip(QString::fromStdString(method.explanation)));
    }
    m_methods->setMaximumHeight(110);
    stimuliForm->addRow(tr("Methods"), m_methods);
    stimuliForm->addRow(new QLabel(tr("Each model with each method is one condition.")));
    m_images = new QSpinBox;
    m_images->setRange(1, 500);
    m_images->setValue(defaults.imageCount);
    m_images->setToolTip(wrappedToolTip(tr("Drawn from the seed, spread evenly over the classes of %1").arg(datasetSpec)));
    stimuliForm->addRow(tr("Images"), m_images);
    m_uniformDraw = new QCheckBox(tr("Draw uniformly (else evenly over the classes)"));
    stimuliForm->addRow({}, m_uniformDraw);
    m_indices = new QLineEdit;
    m_indices->setObjectName("studyIndices");
    m_indices->setPlaceholderText(tr("or these images, e.g. 0-9,17 (instead of a draw)"));
    stimuliForm->addRow(tr("Indices"), m_indices);
    m_onlyCorrect = new QCheckBox(tr("Only images every model classifies correctly"));
    m_onlyCorrect->setChecked(true);
    stimuliForm->addRow({}, m_onlyCorrect);
    m_layout = new QComboBox;
    m_layout->addItem(tr("Map over the image"), "overlay");
    m_layout->addItem(tr("Image and map side by side"), "side-by-side");
    stimuliForm->addRow(tr("Layout"), m_layout);
    m_pixelSize = new QSpinBox;
    m_pixelSize->setRange(1, 64);
    m_pixelSize->setValue(defaults.pixelSize);
    m_pixelSize->setSuffix(tr(" screen px per image px"));
    stimuliForm->addRow(tr("Size"), m_pixelSize);
    m_opacity = new QDoubleSpinBox;
    m_opacity->setRange(0.1, 1.0);
    m_opacity->setSingleStep(0.1);
    m_opacity->setValue(defaults.opacity);
    stimuliForm->addRow(tr("Map opacity"), m_opacity);
    m_sharedScale = new QCheckBox(tr("One colour scale for an image's conditions (else each map scaled by itself)"));
    m_sharedScale->setChecked(defaults.sharedScale);
    m_sharedScale->setToolTip(
        wrappedToolTip(tr("One scale shows how strongly each model's map responds, so a weak map looks faint; scaling each map by itself "
                          "shows where each one highlights. Maps of different methods always keep their own scales.")));
    stimuliForm->addRow({}, m_sharedScale);
    m_topK = new QDoubleSpinBox;
    m_topK->setRange(1, 100);
    m_topK->setValue(defaults.topKPercent);
    m_topK->setSuffix(" %");
    m_topK->setToolTip(
        wrappedToolTip(tr("Matched sparsity: every map shows only its top k % of pixels, so conditions differ in where they "
                          "highlight, not how much. 100 % shows whole maps.")));
    stimuliForm->addRow(tr("Show the top"), m_topK);
    m_caption = new QCheckBox(tr("Write the predicted class under each picture"));
    stimuliForm->addRow({}, m_caption);

    // Sessions.
    auto* sessions = new QWidget;
    auto* sessionsForm = new QFormLayout(sessions);
    m_participants = new QSpinBox;
    m_participants->setRange(1, 10000);
    m_participants->setValue(defaults.participants);
    m_participants->setToolTip(
        wrappedToolTip(tr("Trial orders are written for this many participants; recruit whole Latin-square blocks for exact balance")));
    sessionsForm->addRow(tr("Participants"), m_participants);
    m_attentionEvery = new QSpinBox;
    m_attentionEvery->setRange(0, 1000);
    m_attentionEvery->setValue(10);
    m_attentionEvery->setSpecialValueText(tr("no attention checks"));
    m_attentionEvery->setPrefix(tr("after every "));
    m_attentionEvery->setSuffix(tr(" trials"));
    sessionsForm->addRow(tr("Attention check"), m_attentionEvery);
    m_breakEvery = new QSpinBox;
    m_breakEvery->setRange(0, 1000);
    m_breakEvery->setValue(0);
    m_breakEvery->setSpecialValueText(tr("no breaks"));
    m_breakEvery->setPrefix(tr("after every "));
    m_breakEvery->setSuffix(tr(" trials"));
    sessionsForm->addRow(tr("Break"), m_breakEvery);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setToolTip(wrappedToolTip(tr("The same seed and choices give byte-identical stimuli and orders")));
    sessionsForm->addRow(tr("Seed"), m_seed);

    // What participants read.
    const auto texts = defaultStudySettings();
    auto* wording = new QWidget;
    auto* wordingForm = new QFormLayout(wording);
    m_title = new QLineEdit(QString::fromStdString(texts.title));
    wordingForm->addRow(tr("Title"), m_title);
    m_consent = new QPlainTextEdit(QString::fromStdString(texts.consent));
    wordingForm->addRow(tr("Consent"), m_consent);
    m_instructions = new QPlainTextEdit(QString::fromStdString(texts.instructions));
    wordingForm->addRow(tr("Instructions"), m_instructions);
    QStringList questions;
    for (const auto& question : texts.questions)
        questions << QString("• %1 (1–%2)").arg(QString::fromStdString(question.text)).arg(question.points);
    auto* questionNote =
        new QLabel(tr("Questions on every picture:\n%1\nEdit study.json in the study folder to change them.").arg(questions.join('\n')));
    questionNote->setWordWrap(true);
    wordingForm->addRow(questionNote);

    auto* pages = new QTabWidget;
    pages->addTab(stimuli, tr("Stimuli"));
    pages->addTab(sessions, tr("Sessions"));
    pages->addTab(wording, tr("What participants read"));

    auto* folderRow = new QHBoxLayout;
    m_folder = new QLineEdit;
    m_folder->setObjectName("studyFolder");
    m_folder->setPlaceholderText(tr("a new folder for the study"));
    auto* browse = new QPushButton(tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder =
            QFileDialog::getSaveFileName(this, tr("New study folder"), m_folder->text(), {}, nullptr, QFileDialog::ShowDirsOnly);
        if (!folder.isEmpty()) m_folder->setText(folder);
    });
    folderRow->addWidget(new QLabel(tr("Folder")));
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    // A look at the first images before the whole set is built: above all, whether a shared colour scale
    // leaves one condition's maps nearly invisible.
    auto* previewBox = new QGroupBox(tr("Preview"));
    auto* previewLayout = new QVBoxLayout(previewBox);
    auto* previewButton = new QPushButton(tr("Preview the first image"));
    previewButton->setObjectName("previewButton");
    previewButton->setEnabled(m_jobs != nullptr);
    previewButton->setToolTip(tr("Computes the first image under every condition, as the stimuli will show it"));
    connect(previewButton, &QPushButton::clicked, this, &NewStudyDialog::preview);
    m_previewRow = new QWidget;
    m_previewRow->setObjectName("previewRow");
    new QHBoxLayout(m_previewRow);
    m_previewWarning = new QLabel;
    m_previewWarning->setObjectName("previewWarning");
    m_previewWarning->setWordWrap(true);
    m_previewWarning->setStyleSheet("color: #c8102e");
    auto* previewScroll = new QScrollArea;
    previewScroll->setWidget(m_previewRow);
    previewScroll->setWidgetResizable(true);
    previewScroll->setFrameShape(QFrame::NoFrame);
    previewScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    previewScroll->setMinimumHeight(0);
    previewLayout->addWidget(previewButton, 0, Qt::AlignLeft);
    previewLayout->addWidget(previewScroll);
    previewLayout->addWidget(m_previewWarning);
    // The warning is worth repeating when the scale changes: the preview is then redone by hand.
    connect(m_sharedScale, &QCheckBox::toggled, this, [this] {
        if (m_previewShown) m_previewWarning->setText(tr("The scale changed: preview again."));
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Build the stimuli"));
    connect(buttons, &QDialogButtonBox::accepted, this, &NewStudyDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(pages, 1);
    layout->addWidget(previewBox);
    layout->addLayout(folderRow);
    layout->addWidget(buttons);
    if (parent && parent->screen()) {
        const QSize room = parent->screen()->availableGeometry().size();
        resize(std::min(720, room.width() - 40), std::min(640, room.height() - 60));
    }
}

void NewStudyDialog::setOutputFolder(const QString& folder) { m_folder->setText(folder); }

void NewStudyDialog::preview() {
    if (!m_jobs) return;
    auto request = this->request();
    request.device = m_jobs->computeDevice().toStdString();
    auto result = std::make_shared<StimuliPreview>();
    m_previewWarning->setText(tr("Computing the preview…"));
    m_jobs->submit(
        tr("Preview the study's stimuli"),
        [request, result](Feedback& feedback) {
            return runGuarded([&] {
                *result = previewStimuli(request, 3, feedback);
                return JobResult::completed();
            });
        },
        this,
        [this, result](const JobResult& outcome) {
            auto* row = m_previewRow->layout();
            while (auto* item = row->takeAt(0)) {
                delete item->widget();
                delete item;
            }
            if (outcome.outcome != Outcome::Completed) {
                m_previewWarning->setText(QString::fromStdString(outcome.message).section('\n', 0, 0));
                return;
            }
            for (size_t c = 0; c < result->pictures.size(); ++c) {
                auto* cell = new QLabel;
                const QImage image = matToQImage(result->pictures[c]);
                cell->setPixmap(QPixmap::fromImage(image.scaledToHeight(std::min(image.height(), 160))));
                cell->setToolTip(tr("%1: %2 % of its colour scale")
                                     .arg(QString::fromStdString(result->conditions[c]))
                                     .arg(int(std::lround(100 * result->scaleShare[c]))));
                auto* box = new QWidget;
                auto* boxLayout = new QVBoxLayout(box);
                boxLayout->setContentsMargins(0, 0, 0, 0);
                boxLayout->addWidget(cell);
                auto* caption = new QLabel(QString::fromStdString(result->conditions[c]));
                caption->setWordWrap(true);
                caption->setMaximumWidth(std::max(120, cell->pixmap().width()));
                boxLayout->addWidget(caption);
                row->addWidget(box);
            }
            QStringList warnings;
            for (const auto& warning : result->warnings) warnings << QString::fromStdString(warning);
            m_previewWarning->setText(warnings.join('\n'));
            m_previewShown = true;
        },
        JobLane::Interactive);
}

QString NewStudyDialog::previewWarnings() const { return m_previewShown ? m_previewWarning->text() : QString(); }

StimuliRequest NewStudyDialog::request() const {
    StimuliRequest request;
    for (int i = 0; i < m_models->count(); ++i) {
        if (m_models->item(i)->checkState() == Qt::Checked)
            request.modelPaths.push_back(m_models->item(i)->data(Qt::UserRole).toString().toStdString());
    }
    request.methods.clear();
    for (int i = 0; i < m_methods->count(); ++i) {
        if (m_methods->item(i)->checkState() == Qt::Checked)
            request.methods.push_back(m_methods->item(i)->data(Qt::UserRole).toString().toStdString());
    }
    request.datasetSpec = m_datasetSpec.toStdString();
    request.imageCount = m_images->value();
    request.indices = m_indices->text().trimmed().toStdString();
    request.stratified = !m_uniformDraw->isChecked();
    request.onlyCorrect = m_onlyCorrect->isChecked();
    request.layout = m_layout->currentData().toString().toStdString();
    request.pixelSize = m_pixelSize->value();
    request.topKPercent = m_topK->value();
    request.opacity = m_opacity->value();
    request.sharedScale = m_sharedScale->isChecked();
    request.caption = m_caption->isChecked();
    request.participants = m_participants->value();
    request.attentionEvery = m_attentionEvery->value();
    request.seed = uint64_t(m_seed->value());
    request.study.title = m_title->text().trimmed().toStdString();
    request.study.consent = m_consent->toPlainText().toStdString();
    request.study.instructions = m_instructions->toPlainText().toStdString();
    request.study.breakEvery = m_breakEvery->value();
    request.outputDir = m_folder->text().trimmed().toStdString();
    return request;
}

void NewStudyDialog::accept() {
    const auto chosen = request();
    QString problem;
    if (chosen.modelPaths.empty())
        problem = tr("Check at least one model.");
    else if (chosen.methods.empty())
        problem = tr("Check at least one method.");
    else if (chosen.outputDir.empty())
        problem = tr("Choose a folder for the study.");
    else if (chosen.study.title.empty())
        problem = tr("Give the study a title.");
    if (!problem.isEmpty()) {
        QMessageBox::warning(this, tr("New study"), problem);
        return;
    }
    QDialog::accept();
}

}  // namespace sw::ui
