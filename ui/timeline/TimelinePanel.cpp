#include "timeline/TimelinePanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

#include "explain/SaliencyMethods.h"
#include "jobs/TimelineExportJob.h"
#include "shell/JobController.h"
#include "timeline/TimelineMeasurePlot.h"
#include "widgets/MatImage.h"
#include "widgets/ToolTip.h"

namespace sw::ui {

namespace {

constexpr int kPlayIntervalMs = 250;

}  // namespace

TimelinePanel::TimelinePanel(JobController* jobs, QWidget* parent) : QWidget(parent), m_jobs(jobs) {
    auto* bar = new QHBoxLayout;
    m_open = new QPushButton(tr("Open runs…"));
    m_open->setToolTip(wrappedToolTip(
        tr("Models trained with a saliency timeline (Train tab: Record saliency timeline; or saliency-cli train --timeline)")));
    m_method = new QComboBox;
    m_method->setToolTip(wrappedToolTip(tr("The method whose maps the grid shows")));
    m_play = new QPushButton(tr("Play"));
    m_play->setObjectName("timelinePlay");
    m_play->setCheckable(true);
    m_play->setToolTip(wrappedToolTip(tr("Animate the maps through training, all runs in step")));
    m_scrubber = new QSlider(Qt::Horizontal);
    m_scrubber->setObjectName("timelineScrubber");
    m_scrubber->setEnabled(false);
    m_stepLabel = new QLabel;
    m_stepLabel->setMinimumWidth(m_stepLabel->fontMetrics().horizontalAdvance("step 00000000 (epoch 000)"));
    m_export = new QPushButton(tr("Export…"));
    m_export->setToolTip(wrappedToolTip(tr("Frames (PNG), an MP4 for slides and the measures over training (CSV)")));
    m_export->setEnabled(false);
    bar->addWidget(m_open);
    bar->addWidget(m_method);
    bar->addWidget(m_play);
    bar->addWidget(m_scrubber, 1);
    bar->addWidget(m_stepLabel);
    bar->addWidget(m_export);

    m_frame = new FittedImageLabel(Qt::FastTransformation);
    m_frame->setText(tr("Open one or more recorded runs to watch their saliency maps change as they train."));
    m_frame->setAlignment(Qt::AlignCenter);
    m_frame->setWordWrap(true);
    m_frame->setMinimumSize(200, 120);
    m_frame->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);  // the frame scales to the space, never grows it

    auto* plotBar = new QHBoxLayout;
    m_measure = new QComboBox;
    m_measure->setObjectName("timelineMeasure");
    for (const auto& row : TimelineMeasurePlot::measures()) m_measure->addItem(TimelineMeasurePlot::tr(row.label), QString(row.id));
    plotBar->addWidget(new QLabel(tr("Over training:")));
    plotBar->addWidget(m_measure);
    plotBar->addStretch();
    m_plot = new TimelineMeasurePlot;
    m_plot->setMinimumHeight(140);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_frame, 3);
    layout->addLayout(plotBar);
    layout->addWidget(m_plot, 2);

    m_playTimer = new QTimer(this);
    m_playTimer->setInterval(kPlayIntervalMs);
    connect(m_playTimer, &QTimer::timeout, this, &TimelinePanel::advance);
    connect(m_play, &QPushButton::toggled, this, &TimelinePanel::setPlaying);
    connect(m_scrubber, &QSlider::valueChanged, this, &TimelinePanel::showStep);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        showStep();
        redrawMeasures();
    });
    connect(m_measure, &QComboBox::currentIndexChanged, this, &TimelinePanel::redrawMeasures);
    connect(m_open, &QPushButton::clicked, this, &TimelinePanel::chooseRuns);
    connect(m_export, &QPushButton::clicked, this, &TimelinePanel::chooseExportFolder);
}

void TimelinePanel::chooseRuns() {
    const auto files = QFileDialog::getOpenFileNames(this, tr("Open recorded runs"), {}, tr("Models or timelines (*.swm timeline.json)"));
    QStringList runs;
    for (const auto& file : files) runs << (QFileInfo(file).fileName() == "timeline.json" ? QFileInfo(file).absolutePath() : file);
    if (!runs.isEmpty()) openRuns(runs);
}

void TimelinePanel::openRuns(const QStringList& foldersOrModels) {
    std::vector<std::string> paths;
    for (const auto& path : foldersOrModels) paths.push_back(path.toStdString());
    m_paths = foldersOrModels;
    auto loaded = std::make_shared<std::vector<sw::TimelineRun>>();
    Q_EMIT statusMessage(tr("Reading %n timeline(s)…", nullptr, int(paths.size())));
    m_jobs->submit(
        tr("Read timelines"), [paths, loaded](sw::Feedback& feedback) { return sw::loadTimelineRuns(paths, feedback, loaded.get()); }, this,
        [this, loaded](const sw::JobResult& result) {
            if (result.outcome != sw::Outcome::Completed) {
                Q_EMIT statusMessage(QString::fromStdString(result.message));
                return;
            }
            showRuns(std::move(*loaded));
        },
        JobLane::Interactive);
}

void TimelinePanel::addRun(const QString& folderOrModel) {
    auto paths = m_paths;
    paths.removeAll(folderOrModel);
    openRuns(paths << folderOrModel);
}

void TimelinePanel::showRuns(std::vector<sw::TimelineRun> runs) {
    setPlaying(false);
    m_runs = std::move(runs);
    m_steps = sw::timelineStepsOf(m_runs);
    {
        const QSignalBlocker quiet(m_method);
        m_method->clear();
        for (const auto& method : sw::commonTimelineMethods(m_runs)) {
            m_method->addItem(QString::fromStdString(sw::saliencyMethod(method).name), QString::fromStdString(method));
        }
    }
    m_export->setEnabled(!m_runs.empty());
    m_scrubber->setEnabled(!m_steps.empty());
    {
        const QSignalBlocker quiet(m_scrubber);
        m_scrubber->setRange(0, std::max(0, int(m_steps.size()) - 1));
        m_scrubber->setValue(std::max(0, int(m_steps.size()) - 1));
    }
    showStep();
    redrawMeasures();
    Q_EMIT runsChanged();
}

QString TimelinePanel::currentMethod() const { return m_method->currentData().toString(); }

qint64 TimelinePanel::currentStep() const {
    const int index = m_scrubber->value();
    return index >= 0 && index < int(m_steps.size()) ? m_steps[size_t(index)] : -1;
}

void TimelinePanel::setStepIndex(int index) { m_scrubber->setValue(index); }

void TimelinePanel::showStep() {
    const auto step = currentStep();
    if (step < 0 || m_runs.empty() || currentMethod().isEmpty()) return;
    const auto& first = m_runs.front().index;
    const auto at = first.snapshotAtOrBefore(step);
    m_stepLabel->setText(tr("step %1 (epoch %2)").arg(step).arg(at >= 0 ? first.snapshots[size_t(at)].epoch + 1 : 1));
    m_frame->setImage(matToQImage(sw::renderTimelineFrame(m_runs, step, currentMethod().toStdString(), m_style)));
    m_plot->setCursorStep(step);
}

void TimelinePanel::redrawMeasures() {
    m_plot->showMeasure(m_runs, currentMethod().toStdString(), m_measure->currentData().toString());
    showStep();
}

void TimelinePanel::setMeasure(const QString& id) { m_measure->setCurrentIndex(m_measure->findData(id)); }

void TimelinePanel::setPlaying(bool playing) {
    if (playing && m_steps.size() < 2) playing = false;
    {
        const QSignalBlocker quiet(m_play);
        m_play->setChecked(playing);
    }
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    if (playing) {
        if (m_scrubber->value() >= m_scrubber->maximum()) m_scrubber->setValue(0);
        m_playTimer->start();
    } else {
        m_playTimer->stop();
    }
}

bool TimelinePanel::isPlaying() const { return m_playTimer->isActive(); }

void TimelinePanel::advance() {
    if (m_scrubber->value() >= m_scrubber->maximum()) {
        setPlaying(false);
        return;
    }
    m_scrubber->setValue(m_scrubber->value() + 1);
}

void TimelinePanel::chooseExportFolder() {
    const auto folder = QFileDialog::getSaveFileName(this, tr("Export the timeline into a new folder"), "timeline-export");
    if (!folder.isEmpty()) exportTo(folder);
}

void TimelinePanel::exportTo(const QString& folder) {
    sw::TimelineExportRequest request;
    for (const auto& run : m_runs) request.runs.push_back(run.folder);
    request.method = currentMethod().toStdString();
    request.outputDir = folder.toStdString();
    request.style = m_style;
    m_jobs->submit(
        tr("Export timeline"), [request](sw::Feedback& feedback) { return sw::runTimelineExportJob(request, feedback); }, this,
        [this](const sw::JobResult& result) { Q_EMIT statusMessage(QString::fromStdString(result.message)); });
}

void TimelinePanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() != QEvent::FontChange || !m_plot) return;
    m_plot->useFont(font());  // presentation mode scales every font together
}

}  // namespace sw::ui
