#pragma once

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QVector>

#include "shell/Workspace.h"

namespace sw::ui {

class JobController;

/// The open workspace and which of its models take part in comparisons. Reads model files on the
/// interactive worker (a model file can be large) and tells the panels when anything changes.
class ModelLibrary : public QObject {
    Q_OBJECT
public:
    ModelLibrary(JobController* jobs, QObject* parent = nullptr);

    /// Opens a workspace folder and reads its models' descriptions. Returns an error message (naming the
    /// index file) and keeps the current workspace when the folder's index is unreadable.
    QString openWorkspace(const QString& folder);
    /// The demo workspace: the bundled models in resources/models/ and the Fashion-MNIST test set.
    /// Created on first use under the user's data folder. Returns an error message or empty.
    QString openDemoWorkspace();
    static QString demoWorkspaceFolder();
    /// resources/models next to the installed program or in the source tree; empty when not found.
    static QString bundledModelsFolder();

    /// Adds a model file (TorchScript files without a sidecar need `inputShape` and `classNames`) and reads
    /// its description in the background. Emits modelRejected when the file cannot be read.
    void addModelFile(const QString& path, const QVector<qint64>& inputShape = {}, const QStringList& classNames = {}, bool checked = true);
    void removeModel(const QString& path);

    const Workspace& workspace() const { return m_workspace; }
    /// Keeps the view with the workspace and writes its index.
    void setView(const QJsonObject& view);
    bool isDemoWorkspace() const;
    void setDatasetSpec(const QString& spec);
    const QVector<ModelEntry>& models() const { return m_workspace.models(); }
    /// Checked models that could be read, in list order.
    QVector<ModelEntry> checkedModels() const;
    bool isChecked(const QString& path) const { return m_checked.contains(path); }
    void setChecked(const QString& path, bool checked);
    /// True while some model descriptions are still being read.
    bool isReading() const { return m_pendingReads > 0; }

Q_SIGNALS:
    void workspaceChanged();
    void modelsChanged();
    void checkedModelsChanged();
    void modelRejected(const QString& path, const QString& message);
    void allModelsRead();
    /// The workspace index could not be written (a read-only share, a full disk): it still works for this
    /// session. Emitted once per distinct problem, not on every change.
    void workspaceNotSaved(const QString& message);

private:
    void readDescription(const ModelEntry& entry, bool newlyAdded);
    void saveIndex();

    JobController* m_jobs;
    Workspace m_workspace;
    QSet<QString> m_checked;
    int m_pendingReads = 0;
    QString m_lastSaveProblem;
};

}  // namespace sw::ui
