#include "ModelLibrary.h"

#include <QCoreApplication>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QStandardPaths>

#include <array>
#include <optional>

#include "JobController.h"
#include "jobs/EvalJob.h"
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

void ModelLibrary::setDatasetSpec(const QString& spec) {
    m_workspace.setDatasetSpec(spec);
    saveIndex();
    Q_EMIT workspaceChanged();
}

void ModelLibrary::addModelFile(const QString& path, const QVector<qint64>& inputShape, const QStringList& classNames,
                                bool checked) {
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
    if (checked) m_checked.insert(path);
    else m_checked.remove(path);
    Q_EMIT checkedModelsChanged();
}

void ModelLibrary::readDescription(const ModelEntry& entry, bool newlyAdded) {
    ++m_pendingReads;
    const std::string path = entry.path.toStdString();
    std::optional<std::array<int64_t, 3>> shape;
    if (entry.inputShape.size() == 3) shape = std::array<int64_t, 3>{entry.inputShape[0], entry.inputShape[1], entry.inputShape[2]};
    std::vector<std::string> classes;
    for (const auto& name : entry.classNames) classes.push_back(name.toStdString());
    QPointer<ModelLibrary> self(this);
    const QString modelPath = entry.path;
    m_jobs->submit(
        tr("Read %1").arg(QFileInfo(entry.path).fileName()),
        [self, path, shape, classes, modelPath, newlyAdded](sw::Feedback&) {
            std::string description;
            sw::JobResult result = sw::JobResult::completed();
            try {
                description = sw::describeModelFile(path, shape, classes);
            } catch (const std::exception& error) {  // the job edge: core throws, we report
                result = sw::JobResult::failed(error.what());
            }
            const QString error = result.outcome == sw::Outcome::Failed ? QString::fromStdString(result.message) : QString();
            const QByteArray json = QByteArray::fromStdString(description);
            QMetaObject::invokeMethod(
                qApp,
                [self, modelPath, json, error, newlyAdded] {
                    if (!self) return;
                    auto& library = *self;
                    --library.m_pendingReads;
                    if (!error.isEmpty()) {
                        // A file the user just chose is not added; one the workspace already lists stays listed
                        // (its drive may be back tomorrow) with the reason it cannot be used today.
                        if (newlyAdded) library.m_workspace.removeModel(library.m_workspace.rowOf(modelPath));
                        else library.m_workspace.setDescription(modelPath, {}, error);
                        library.m_checked.remove(modelPath);
                        Q_EMIT library.modelRejected(modelPath, error);
                    } else {
                        library.m_workspace.setDescription(modelPath, QJsonDocument::fromJson(json).object(), {});
                        library.saveIndex();
                    }
                    Q_EMIT library.modelsChanged();
                    Q_EMIT library.checkedModelsChanged();
                    if (library.m_pendingReads == 0) Q_EMIT library.allModelsRead();
                },
                Qt::QueuedConnection);
            return result;
        },
        JobLane::Interactive);
}

void ModelLibrary::saveIndex() {
    if (m_workspace.folder().isEmpty()) return;
    // A workspace we cannot write to (a read-only share) still works for this session.
    m_workspace.save();
}

}  // namespace sw::ui
