#include "shell/ModelLibrary.h"

#include <QCoreApplication>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <array>
#include <memory>
#include <optional>

#include "shell/JobController.h"
#include "jobs/JobEdge.h"
#include "jobs/ModelInfo.h"
#include "util/Resources.h"

namespace sw::ui {

ModelLibrary::ModelLibrary(JobController* jobs, QObject* parent) : QObject(parent), m_jobs(jobs) {}

QString ModelLibrary::demoWorkspaceFolder() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath("demo-workspace");
}

QString ModelLibrary::bundledModelsFolder() {
    const QString folder = QString::fromStdString(sw::findResource("models"));
    if (folder.isEmpty() || QDir(folder).entryList({"*.swm"}, QDir::Files).isEmpty()) return {};
    return QDir::cleanPath(folder);
}

QString ModelLibrary::openDemoWorkspace() {
    const QString folder = demoWorkspaceFolder();
    Workspace existing;
    bool usable = existing.load(folder).isEmpty() && !existing.models().isEmpty();
    for (const auto& entry : existing.models()) usable = usable && QFileInfo::exists(entry.path);
    // A missing index, or one whose bundled models moved (a new clone, an upgrade), is made afresh.
    if (!usable) {
        const QString bundled = bundledModelsFolder();
        if (bundled.isEmpty()) return tr("The bundled demo models (resources/models) were not found");
        Workspace demo(folder);
        demo.setDatasetSpec("fmnist:test");
        auto files = QDir(bundled).entryInfoList({"*.swm"}, QDir::Files, QDir::Name);
        // The story the demo tells: natural, then adversarial, then adversarial + smoothing.
        auto rank = [](const QFileInfo& file) {
            const QString name = file.fileName();
            return (name.contains("adv") ? 1 : 0) + (name.contains("gaussian") || name.contains("mean") || name.contains("median") ? 1 : 0);
        };
        std::stable_sort(files.begin(), files.end(), [&](const QFileInfo& a, const QFileInfo& b) { return rank(a) < rank(b); });
        for (const auto& file : files) demo.addModel(ModelEntry{file.absoluteFilePath(), {}, {}, {}, {}});
        if (const auto error = demo.save(); !error.isEmpty()) return error;
    }
    return openWorkspace(folder);
}

QString ModelLibrary::openWorkspace(const QString& folder) {
    Workspace opened;
    if (const auto error = opened.load(folder); !error.isEmpty()) return error;
    m_workspace = opened;
    m_checked.clear();
    for (const auto& entry : m_workspace.models()) m_checked.insert(entry.path);
    Q_EMIT workspaceChanged();
    Q_EMIT modelsChanged();
    Q_EMIT checkedModelsChanged();
    for (const auto& entry : m_workspace.models()) readDescription(entry, false);
    if (m_workspace.models().isEmpty()) Q_EMIT allModelsRead();
    return {};
}

void ModelLibrary::setView(const QJsonObject& view) {
    if (m_workspace.folder().isEmpty() || view == m_workspace.view()) return;
    m_workspace.setView(view);
    saveIndex();
}

bool ModelLibrary::isDemoWorkspace() const {
    return !m_workspace.folder().isEmpty() && QDir(m_workspace.folder()) == QDir(demoWorkspaceFolder());
}

void ModelLibrary::setDatasetSpec(const QString& spec) {
    m_workspace.setDatasetSpec(spec);
    saveIndex();
    Q_EMIT workspaceChanged();
}

void ModelLibrary::addModelFile(const QString& path, const QVector<qint64>& inputShape, const QStringList& classNames, bool checked) {
    ModelEntry entry{QFileInfo(path).absoluteFilePath(), inputShape, classNames, {}, {}};
    m_workspace.addModel(entry);
    if (checked) m_checked.insert(entry.path);
    Q_EMIT modelsChanged();
    readDescription(entry, true);
}

void ModelLibrary::removeModel(const QString& path) {
    m_workspace.removeModel(m_workspace.rowOf(path));
    m_checked.remove(path);
    saveIndex();
    Q_EMIT modelsChanged();
    Q_EMIT checkedModelsChanged();
}

QVector<ModelEntry> ModelLibrary::checkedModels() const {
    QVector<ModelEntry> checked;
    for (const auto& entry : m_workspace.models()) {
        if (m_checked.contains(entry.path) && entry.loadError.isEmpty() && !entry.description.isEmpty()) checked.push_back(entry);
    }
    return checked;
}

void ModelLibrary::setChecked(const QString& path, bool checked) {
    if (checked == m_checked.contains(path)) return;
    if (checked)
        m_checked.insert(path);
    else
        m_checked.remove(path);
    Q_EMIT checkedModelsChanged();
}

void ModelLibrary::readDescription(const ModelEntry& entry, bool newlyAdded) {
    ++m_pendingReads;
    const std::string path = entry.path.toStdString();
    std::optional<std::array<int64_t, 3>> shape;
    if (entry.inputShape.size() == 3) shape = std::array<int64_t, 3>{entry.inputShape[0], entry.inputShape[1], entry.inputShape[2]};
    std::vector<std::string> classes;
    for (const auto& name : entry.classNames) classes.push_back(name.toStdString());
    const QString modelPath = entry.path;
    // Filled on the worker; read in the finished callback, which runs after the job body returned.
    auto description = std::make_shared<std::string>();
    m_jobs->submit(
        tr("Read %1").arg(QFileInfo(entry.path).fileName()),
        [path, shape, classes, description](sw::Feedback&) {
            return sw::runGuarded([&] {
                *description = sw::describeModelFile(path, shape, classes);
                return sw::JobResult::completed();
            });
        },
        this,
        [this, modelPath, description, newlyAdded](const sw::JobResult& result) {
            --m_pendingReads;
            if (result.outcome != sw::Outcome::Completed) {
                const QString error = QString::fromStdString(result.message);
                // A file the user just chose is not added; one the workspace already lists stays listed
                // (its drive may be back tomorrow) with the reason it cannot be used today.
                if (newlyAdded)
                    m_workspace.removeModel(m_workspace.rowOf(modelPath));
                else
                    m_workspace.setDescription(modelPath, {}, error);
                m_checked.remove(modelPath);
                Q_EMIT modelRejected(modelPath, error);
            } else {
                m_workspace.setDescription(modelPath, QJsonDocument::fromJson(QByteArray::fromStdString(*description)).object(), {});
                saveIndex();
            }
            Q_EMIT modelsChanged();
            Q_EMIT checkedModelsChanged();
            if (m_pendingReads == 0) Q_EMIT allModelsRead();
        },
        JobLane::Interactive);
}

void ModelLibrary::saveIndex() {
    if (m_workspace.folder().isEmpty()) return;
    const QString problem = m_workspace.save();
    if (!problem.isEmpty() && problem != m_lastSaveProblem) Q_EMIT workspaceNotSaved(problem);
    m_lastSaveProblem = problem;
}

}  // namespace sw::ui
