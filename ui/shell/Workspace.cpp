#include "shell/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace sw::ui {

QString ModelEntry::displayName() const { return QFileInfo(path).completeBaseName(); }

QString ModelEntry::badge() const {
    const auto text = description.value("badge").toString();
    return text.isEmpty() ? QStringLiteral("?") : text;
}

sw::ModelReference ModelEntry::reference() const {
    sw::ModelReference reference;
    reference.path = path.toStdString();
    if (inputShape.size() == 3) reference.inputShape = std::array<int64_t, 3>{inputShape[0], inputShape[1], inputShape[2]};
    for (const auto& name : classNames) reference.classNames.push_back(name.toStdString());
    return reference;
}

std::optional<double> ModelEntry::testAccuracy() const {
    const auto value = description.value("metrics").toObject().value("test_accuracy");
    if (!value.isDouble()) return std::nullopt;
    return value.toDouble();
}

std::optional<double> ModelEntry::robustAccuracy() const {
    const auto value = description.value("metrics").toObject().value("robust_accuracy");
    if (!value.isDouble()) return std::nullopt;
    return value.toDouble();
}

Workspace::Workspace(QString folder) : m_folder(std::move(folder)) {}

QString Workspace::name() const { return QFileInfo(m_folder).fileName(); }
QString Workspace::modelsFolder() const { return QDir(m_folder).filePath("models"); }
QString Workspace::resultsFolder() const { return QDir(m_folder).filePath("results"); }

QString Workspace::load(const QString& folder) {
    const QString indexPath = QDir(folder).filePath(kIndexFileName);
    QVector<ModelEntry> models;
    QString datasetSpec = "fmnist:test";
    QJsonObject view;
    if (QFileInfo::exists(indexPath)) {
        QFile file(indexPath);
        if (!file.open(QIODevice::ReadOnly)) return indexPath + ": cannot be read (" + file.errorString() + ")";
        QJsonParseError parseError;
        const auto document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            return indexPath + ": not valid JSON (" + parseError.errorString() + " at offset " + QString::number(parseError.offset) + ")";
        }
        const auto root = document.object();
        if (root.value("format").toString() != "saliency-workbench-workspace") {
            return indexPath + ": not a Saliency Workbench workspace index";
        }
        datasetSpec = root.value("dataset").toString(datasetSpec);
        view = root.value("view").toObject();
        const QDir base(folder);
        for (const auto& value : root.value("models").toArray()) {
            const auto object = value.toObject();
            ModelEntry entry;
            entry.path = QDir::cleanPath(base.absoluteFilePath(object.value("path").toString()));
            for (const auto& dimension : object.value("input_shape").toArray()) entry.inputShape.push_back(dimension.toInteger());
            for (const auto& name : object.value("classes").toArray()) entry.classNames.push_back(name.toString());
            models.push_back(entry);
        }
    }
    m_folder = QDir(folder).absolutePath();
    m_datasetSpec = datasetSpec;
    m_models = models;
    m_view = view;
    return {};
}

QString Workspace::save() const {
    QDir().mkpath(m_folder);
    const QDir base(m_folder);
    QJsonArray models;
    for (const auto& entry : m_models) {
        QJsonObject object;
        // Paths inside the workspace stay relative, so a workspace folder can be moved or shared.
        const auto relative = base.relativeFilePath(entry.path);
        object["path"] = relative.startsWith("..") ? entry.path : relative;
        if (!entry.inputShape.isEmpty()) {
            QJsonArray shape;
            for (const auto dimension : entry.inputShape) shape.append(dimension);
            object["input_shape"] = shape;
        }
        if (!entry.classNames.isEmpty()) object["classes"] = QJsonArray::fromStringList(entry.classNames);
        models.append(object);
    }
    QJsonObject root;
    root["format"] = "saliency-workbench-workspace";
    root["version"] = 1;
    root["dataset"] = m_datasetSpec;
    root["models"] = models;
    if (!m_view.isEmpty()) root["view"] = m_view;

    const QString indexPath = base.filePath(kIndexFileName);
    QSaveFile file(indexPath);
    if (!file.open(QIODevice::WriteOnly)) return indexPath + ": cannot be written (" + file.errorString() + ")";
    file.write(QJsonDocument(root).toJson());
    if (!file.commit()) return indexPath + ": cannot be written (" + file.errorString() + ")";
    return {};
}

int Workspace::addModel(const ModelEntry& newEntry) {
    ModelEntry entry = newEntry;
    entry.path = QDir::cleanPath(QFileInfo(entry.path).absoluteFilePath());
    const int existing = rowOf(entry.path);
    if (existing >= 0) {
        m_models[existing] = entry;
        return existing;
    }
    m_models.push_back(entry);
    return m_models.size() - 1;
}

void Workspace::removeModel(int row) {
    if (row >= 0 && row < m_models.size()) m_models.remove(row);
}

void Workspace::setDescription(const QString& path, const QJsonObject& description, const QString& loadError) {
    const int row = rowOf(path);
    if (row < 0) return;
    m_models[row].description = description;
    m_models[row].loadError = loadError;
}

int Workspace::rowOf(const QString& path) const {
    const auto wanted = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    for (int row = 0; row < m_models.size(); ++row) {
        if (QDir::cleanPath(m_models[row].path) == wanted) return row;
    }
    return -1;
}

}  // namespace sw::ui
