#include "shell/ModelListPanel.h"

#include <QDir>
#include <QFileDialog>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "shell/ModelLibrary.h"
#include "shell/TorchScriptShapeDialog.h"

namespace sw::ui {

namespace {

bool isNativeModelName(const QString& path) { return path.endsWith(".swm", Qt::CaseInsensitive); }

QString sidecarOf(const QString& path) {
    const QFileInfo info(path);
    return info.dir().filePath(info.completeBaseName() + ".json");
}

// Non-breaking spaces keep "89.5 %" together when a narrow list wraps or elides.
QString percent(double fraction) { return QString("%1\u00a0%").arg(100.0 * fraction, 0, 'f', 1); }

QString accuracyText(const ModelEntry& entry) {
    QStringList parts;
    if (const auto accuracy = entry.testAccuracy()) parts << QObject::tr("acc\u00a0%1").arg(percent(*accuracy));
    if (const auto robust = entry.robustAccuracy()) parts << QObject::tr("robust\u00a0%1").arg(percent(*robust));
    return parts.join(" · ");
}

QString trainingText(const QJsonObject& training) {
    if (training.isEmpty()) return QObject::tr("not recorded (an imported model)");
    const auto adversarial = training.value("adversarial").toObject();
    const QString kind = adversarial.value("kind").toString("none");
    QString text = kind == "none" ? QObject::tr("natural")
                                  : QObject::tr("adversarial, %1-%2, ε = %3")
                                        .arg(kind.toUpper())
                                        .arg(adversarial.value("steps").toInt(1))
                                        .arg(adversarial.value("epsilon").toDouble(), 0, 'g', 3);
    text += QObject::tr("; %1 epochs, %2 lr %3 (%4), seed %5")
                .arg(training.value("epochs").toInt())
                .arg(training.value("optimizer").toString(), QString::number(training.value("learning_rate").toDouble(), 'g', 3),
                     training.value("schedule").toString())
                .arg(training.value("seed").toInt());
    return text;
}

/// A readable summary of a model's description; the raw JSON stays one click away.
QString modelCardHtml(const ModelEntry& entry) {
    const auto& d = entry.description;
    auto row = [](const QString& name, const QString& value) {
        return QString("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QString("<p><b>%1</b><br><small>%2</small></p>").arg(entry.displayName().toHtmlEscaped(), entry.path.toHtmlEscaped());
    if (!entry.loadError.isEmpty()) return html + QObject::tr("<p>Cannot be read: %1</p>").arg(entry.loadError.toHtmlEscaped());
    if (d.isEmpty()) return html + QObject::tr("<p>reading…</p>");
    html += "<table cellspacing='2'>";
    const auto shape = d.value("input_shape").toArray();
    html += row(QObject::tr("Architecture"), QObject::tr("%1, %2 parameters, input %3×%4×%5")
                                                 .arg(d.value("arch").toString("TorchScript"))
                                                 .arg(d.value("parameter_count").toInteger())
                                                 .arg(shape.at(0).toInteger())
                                                 .arg(shape.at(1).toInteger())
                                                 .arg(shape.at(2).toInteger()));
    const auto training = d.value("training").toObject();
    html += row(QObject::tr("Training"), trainingText(training));
    QStringList blocks;
    for (const auto& value : d.value("smoothing").toArray()) {
        const auto block = value.toObject();
        blocks << QObject::tr("%1 after %2").arg(block.value("kind").toString(), block.value("after").toString());
    }
    html += row(QObject::tr("Smoothing"), blocks.isEmpty() ? QObject::tr("none") : blocks.join(", "));
    const auto metrics = d.value("metrics").toObject();
    if (const auto accuracy = entry.testAccuracy()) {
        html += row(QObject::tr("Accuracy"), QObject::tr("%1 on %2 images of %3")
                                                 .arg(percent(*accuracy))
                                                 .arg(metrics.value("test_samples").toInteger())
                                                 .arg(metrics.value("test_dataset").toString()));
    }
    if (const auto robust = entry.robustAccuracy()) {
        const auto attack = training.value("adversarial").toObject();
        html += row(QObject::tr("Robust accuracy"), QObject::tr("%1 under the training attack (%2-%3, ε = %4), same images")
                                                        .arg(percent(*robust), attack.value("kind").toString().toUpper())
                                                        .arg(attack.value("steps").toInt(1))
                                                        .arg(attack.value("epsilon").toDouble(), 0, 'g', 3));
    }
    html += row(QObject::tr("Trained on"), d.value("dataset").toString(QObject::tr("unknown")));
    html += row(QObject::tr("Created"), d.value("created").toString(QObject::tr("unknown")));
    return html + "</table>";
}

}  // namespace

ModelListPanel::ModelListPanel(ModelLibrary* library, QWidget* parent) : QWidget(parent), m_library(library) {
    auto* layout = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load…"));
    load->setToolTip(tr("Add a native model (.swm) or a TorchScript file (.pt) to the workspace (Ctrl+L)"));
    auto* remove = new QPushButton(tr("Remove"));
    remove->setToolTip(tr("Remove the selected model from the workspace (the file stays on disk)"));
    buttons->addWidget(load);
    buttons->addWidget(remove);
    layout->addLayout(buttons);

    auto* splitter = new QSplitter(Qt::Vertical);
    m_list = new QListWidget;
    m_list->setObjectName("modelList");
    m_list->setToolTip(tr("Checked models appear in the compare grid and the stability lab"));
    // One line each for name, training and accuracy, elided rather than wrapped, so that check boxes stay
    // beside their names; the tooltip has everything.
    m_list->setWordWrap(false);
    m_list->setTextElideMode(Qt::ElideRight);
    setMinimumWidth(240);
    m_detailsPane = new QWidget;
    auto* detailsLayout = new QVBoxLayout(m_detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_card = new QTextBrowser;
    m_card->setObjectName("modelCard");
    m_card->setOpenLinks(false);
    m_rawToggle = new QPushButton(tr("Details"));
    m_rawToggle->setCheckable(true);
    m_rawToggle->setToolTip(tr("The model's full description as stored in the file (JSON)"));
    m_details = new QPlainTextEdit;
    m_details->setObjectName("modelDescription");
    m_details->setReadOnly(true);
    m_details->setVisible(false);
    detailsLayout->addWidget(m_card, 1);
    detailsLayout->addWidget(m_rawToggle, 0, Qt::AlignLeft);
    detailsLayout->addWidget(m_details, 1);
    connect(m_rawToggle, &QPushButton::toggled, m_details, &QWidget::setVisible);
    splitter->addWidget(m_list);
    splitter->addWidget(m_detailsPane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter);

    connect(load, &QPushButton::clicked, this, &ModelListPanel::loadModelInteractively);
    connect(remove, &QPushButton::clicked, this, &ModelListPanel::removeSelected);
    connect(m_list, &QListWidget::currentRowChanged, this, &ModelListPanel::showDetails);
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (m_refreshing) return;
        m_library->setChecked(item->data(Qt::UserRole).toString(), item->checkState() == Qt::Checked);
    });
    connect(m_library, &ModelLibrary::modelsChanged, this, &ModelListPanel::refresh);
    refresh();
}

void ModelListPanel::refresh() {
    m_refreshing = true;
    const int current = m_list->currentRow();
    m_list->clear();
    for (const auto& entry : m_library->models()) {
        const bool read = !entry.description.isEmpty();
        const QString state = !entry.loadError.isEmpty() ? tr("cannot be read") : read ? entry.badge() : tr("reading…");
        const QString accuracy = read ? accuracyText(entry) : QString();
        auto* item = new QListWidgetItem(accuracy.isEmpty() ? QString("%1\n%2").arg(entry.displayName(), state)
                                                            : QString("%1\n%2\n%3").arg(entry.displayName(), state, accuracy));
        item->setData(Qt::UserRole, entry.path);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(m_library->isChecked(entry.path) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(entry.loadError.isEmpty() ? entry.path + "\n" + state + "\n" + accuracy : entry.path + "\n" + entry.loadError);
        m_list->addItem(item);
    }
    // The card is never blank while there is a model: the first one is selected to begin with.
    m_list->setCurrentRow(std::min(std::max(current, 0), m_list->count() - 1));
    m_refreshing = false;
    showDetails();
}

void ModelListPanel::showDetails() {
    const auto* item = m_list->currentItem();
    if (!item) {
        m_card->setHtml(tr("<p>No model yet: <b>Load…</b> one, or open the demo workspace (File menu).</p>"));
        m_details->clear();
        return;
    }
    const int row = m_library->workspace().rowOf(item->data(Qt::UserRole).toString());
    if (row < 0) return;
    const auto& entry = m_library->models()[row];
    m_card->setHtml(modelCardHtml(entry));
    m_details->setPlainText(entry.path + "\n\n" + QString::fromUtf8(QJsonDocument(entry.description).toJson(QJsonDocument::Indented)));
}

void ModelListPanel::setDetailsVisible(bool visible) { m_detailsPane->setVisible(visible); }

QString ModelListPanel::cardText() const { return m_card->toPlainText(); }

void ModelListPanel::removeSelected() {
    if (const auto* item = m_list->currentItem()) m_library->removeModel(item->data(Qt::UserRole).toString());
}

void ModelListPanel::loadModelInteractively() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load a model"), m_library->workspace().folder(),
                                                      tr("Models (*.swm *.pt *.pth *.ts);;All files (*)"));
    if (path.isEmpty()) return;
    if (!isNativeModelName(path)) {
        if (const QString problem = torchScriptProblem(path); !problem.isEmpty()) {
            QMessageBox::warning(this, tr("Load a model"), problem);
            return;
        }
    }
    if (!isNativeModelName(path) && !QFileInfo::exists(sidecarOf(path))) {
        TorchScriptShapeDialog dialog(QFileInfo(path).fileName(), this);
        if (dialog.exec() != QDialog::Accepted) return;
        m_library->addModelFile(path, dialog.inputShape(), dialog.classNames());
        return;
    }
    loadModel(path);
}

void ModelListPanel::loadModel(const QString& path) { m_library->addModelFile(path); }

QString ModelListPanel::torchScriptProblem(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return tr("%1: cannot be read (%2)").arg(QFileInfo(path).fileName(), file.errorString());
    // torch.jit.save writes a zip archive; anything else is not a TorchScript model.
    if (file.read(4) != QByteArray("PK\x03\x04", 4)) {
        return tr("%1: not a model file, or damaged (a TorchScript model is saved with torch.jit.save)").arg(QFileInfo(path).fileName());
    }
    return {};
}

}  // namespace sw::ui
