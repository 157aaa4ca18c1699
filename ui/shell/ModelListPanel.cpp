#include "shell/ModelListPanel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
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

QString accuracyText(const ModelEntry& entry) {
    QStringList parts;
    if (const auto accuracy = entry.testAccuracy()) parts << QString("acc %1 %").arg(100.0 * *accuracy, 0, 'f', 1);
    if (const auto robust = entry.robustAccuracy()) parts << QString("robust %1 %").arg(100.0 * *robust, 0, 'f', 1);
    return parts.join(" · ");
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
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideMiddle);
    setMinimumWidth(280);
    m_details = new QPlainTextEdit;
    m_details->setReadOnly(true);
    m_details->setToolTip(tr("The selected model's description: architecture, recipe, data, metrics"));
    splitter->addWidget(m_list);
    splitter->addWidget(m_details);
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
        auto* item = new QListWidgetItem(
            QString("%1\n%2%3")
                .arg(entry.displayName(), state, read && !accuracyText(entry).isEmpty() ? "  ·  " + accuracyText(entry) : QString()));
        item->setData(Qt::UserRole, entry.path);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(m_library->isChecked(entry.path) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(entry.loadError.isEmpty() ? entry.path : entry.path + "\n" + entry.loadError);
        m_list->addItem(item);
    }
    m_list->setCurrentRow(std::min(current, m_list->count() - 1));
    m_refreshing = false;
    showDetails();
}

void ModelListPanel::showDetails() {
    const auto* item = m_list->currentItem();
    if (!item) {
        m_details->clear();
        return;
    }
    const int row = m_library->workspace().rowOf(item->data(Qt::UserRole).toString());
    if (row < 0) return;
    const auto& entry = m_library->models()[row];
    m_details->setPlainText(entry.path + "\n\n" + QString::fromUtf8(QJsonDocument(entry.description).toJson(QJsonDocument::Indented)));
}

void ModelListPanel::removeSelected() {
    if (const auto* item = m_list->currentItem()) m_library->removeModel(item->data(Qt::UserRole).toString());
}

void ModelListPanel::loadModelInteractively() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load a model"), m_library->workspace().folder(),
                                                      tr("Models (*.swm *.pt *.pth *.ts);;All files (*)"));
    if (path.isEmpty()) return;
    if (!isNativeModelName(path) && !QFileInfo::exists(sidecarOf(path))) {
        TorchScriptShapeDialog dialog(QFileInfo(path).fileName(), this);
        if (dialog.exec() != QDialog::Accepted) return;
        m_library->addModelFile(path, dialog.inputShape(), dialog.classNames());
        return;
    }
    loadModel(path);
}

void ModelListPanel::loadModel(const QString& path) { m_library->addModelFile(path); }

}  // namespace sw::ui
