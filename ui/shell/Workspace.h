#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

#include "jobs/ModelReference.h"

namespace sw::ui {

/// A model as the workspace lists it. `description` is filled in once the model file has been read.
struct ModelEntry {
    QString path;                ///< absolute
    QVector<qint64> inputShape;  ///< C, H, W — only for TorchScript files without a sidecar
    QStringList classNames;      ///< likewise
    QJsonObject description;     ///< the model's description (+ "badge", "parameter_count")
    QString loadError;           ///< why the file could not be read, if it could not

    QString displayName() const;  ///< file name without extension
    QString badge() const;        ///< "natural", "adv pgd ε=0.1 +gaussian@pool1"
    std::optional<double> testAccuracy() const;
    std::optional<double> robustAccuracy() const;
    /// The model as the core's jobs take it (the shape and classes only for TorchScript files without a sidecar).
    sw::ModelReference reference() const;
};

/// A folder holding models, results and an index (workspace.json). Plain data plus atomic load/save;
/// the panels show it and the main window owns it.
class Workspace {
public:
    static constexpr const char* kIndexFileName = "workspace.json";

    Workspace() = default;
    explicit Workspace(QString folder);

    /// Reads FOLDER/workspace.json (a missing index is an empty workspace). Returns an error message naming
    /// the file when it is unreadable or not a workspace index; the workspace is then left unchanged.
    QString load(const QString& folder);
    /// Writes the index atomically (temporary file + rename). Returns an error message, or empty on success.
    QString save() const;

    const QString& folder() const { return m_folder; }
    QString name() const;
    QString modelsFolder() const;   ///< FOLDER/models, where trained models go
    QString resultsFolder() const;  ///< FOLDER/results, exports and reports
    QString datasetSpec() const { return m_datasetSpec; }
    void setDatasetSpec(const QString& spec) { m_datasetSpec = spec; }

    /// Where the user left the workspace: image, methods, style, noise and its seed, A/B cells, open tab.
    /// The panels write and read it; the workspace only keeps it.
    const QJsonObject& view() const { return m_view; }
    void setView(const QJsonObject& view) { m_view = view; }

    const QVector<ModelEntry>& models() const { return m_models; }
    /// Adds a model (or updates it when the path is already listed); returns its row.
    int addModel(const ModelEntry& entry);
    void removeModel(int row);
    void setDescription(const QString& path, const QJsonObject& description, const QString& loadError);
    int rowOf(const QString& path) const;

private:
    QString m_folder;
    QString m_datasetSpec = "fmnist:test";
    QVector<ModelEntry> m_models;
    QJsonObject m_view;
};

}  // namespace sw::ui
