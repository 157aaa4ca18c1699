#pragma once

#include <QTableWidget>

namespace sw::ui {

/// The paper's summary table: accuracy, robust accuracy, Gini, RIS, log₁₀ ROS and AOPC per model and
/// method, filled from evaluation JSON documents (docs/METRICS.md). Sortable; Ctrl+C copies the selection
/// as tab-separated text that spreadsheets paste.
class SummaryTable : public QTableWidget {
    Q_OBJECT
public:
    explicit SummaryTable(QWidget* parent = nullptr);

    /// Adds (or replaces) the row of one model and method from an evaluation document.
    void addEvaluation(const QString& modelName, const QString& badge, const QByteArray& evaluationJson);
    QStringList headerLabels() const;
    /// Plain-ASCII column names for CSV files: model, badge, method, images, accuracy_percent, …, log10_ros.
    QStringList csvHeader() const;
    QVector<QStringList> rowsAsText() const;
    void copySelection() const;

protected:
    void keyPressEvent(QKeyEvent* event) override;
};

}  // namespace sw::ui
