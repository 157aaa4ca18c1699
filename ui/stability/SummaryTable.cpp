#include "stability/SummaryTable.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>

#include <cmath>

#include "compare/MethodPicker.h"

namespace sw::ui {

namespace {

enum Column { kModel, kBadge, kMethod, kImages, kAccuracy, kRobust, kGini, kRis, kRos, kAopcMorf, kAopcLerf, kColumnCount };

/// Each column as the screen shows it and as CSV files name it (plain ASCII, so that every tool reads it).
struct ColumnName {
    const char* label;
    const char* csv;
    const char* tip;
};
const ColumnName kColumns[kColumnCount] = {
    {QT_TRANSLATE_NOOP("SummaryTable", "Model"), "model", ""},
    {QT_TRANSLATE_NOOP("SummaryTable", "Badge"), "badge", "how the model was trained"},
    {QT_TRANSLATE_NOOP("SummaryTable", "Method"), "method", ""},
    {QT_TRANSLATE_NOOP("SummaryTable", "Images"), "images",
     "test images this row was measured on (the model list's accuracy is on the whole test set)"},
    {QT_TRANSLATE_NOOP("SummaryTable", "Accuracy %"), "accuracy_percent", "on this row's images only"},
    {QT_TRANSLATE_NOOP("SummaryTable", "Robust acc. %"), "robust_accuracy_percent",
     "under PGD at the model's training ε (0.1 for natural models), on this row's images"},
    {QT_TRANSLATE_NOOP("SummaryTable", "Gini ↑"), "gini", "sparseness, higher = sparser"},
    {QT_TRANSLATE_NOOP("SummaryTable", "RIS (log₁₀ mean) ↓"), "log10_ris", "relative input stability, lower = more stable"},
    {QT_TRANSLATE_NOOP("SummaryTable", "log₁₀ ROS ↓"), "log10_ros", "relative output stability, lower = more stable"},
    {QT_TRANSLATE_NOOP("SummaryTable", "AOPC MoRF ↑"), "aopc_morf", "ROAD, most relevant pixels first: higher = more faithful"},
    {QT_TRANSLATE_NOOP("SummaryTable", "AOPC LeRF ↓"), "aopc_lerf", "ROAD, least relevant pixels first: lower = more faithful"},
};

/// A number that sorts as a number but shows rounded.
QTableWidgetItem* numberItem(double value, int decimals) {
    auto* item = new QTableWidgetItem;
    if (std::isnan(value)) {
        item->setText(QStringLiteral("—"));
        return item;
    }
    // A double (not text) in the display role, so that sorting compares numbers.
    const double unit = std::pow(10.0, decimals);
    item->setData(Qt::DisplayRole, std::round(value * unit) / unit);
    item->setData(Qt::UserRole, value);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

double numberAt(const QJsonObject& object, const QString& key) {
    const auto value = object.value(key);
    return value.isDouble() ? value.toDouble() : std::nan("");
}

}  // namespace

SummaryTable::SummaryTable(QWidget* parent) : QTableWidget(0, kColumnCount, parent) {
    setObjectName("summaryTable");
    for (int c = 0; c < kColumnCount; ++c) {
        auto* header = new QTableWidgetItem(tr(kColumns[c].label));
        if (*kColumns[c].tip) header->setToolTip(tr(kColumns[c].tip));
        setHorizontalHeaderItem(c, header);
    }
    setSortingEnabled(true);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setToolTip(tr("Click a header to sort; Ctrl+C copies the selected cells (tab-separated)"));
}

void SummaryTable::addEvaluation(const QString& modelName, const QString& badge, const QByteArray& evaluationJson) {
    const auto root = QJsonDocument::fromJson(evaluationJson).object();
    const auto summary = root.value("summary").toObject();
    const QString method = methodDisplayName(root.value("method").toObject().value("method").toString());
    setSortingEnabled(false);
    int row = -1;
    for (int r = 0; r < rowCount(); ++r) {
        if (item(r, kModel)->text() == modelName && item(r, kMethod)->text() == method) row = r;
    }
    if (row < 0) {
        row = rowCount();
        insertRow(row);
    }
    setItem(row, kModel, new QTableWidgetItem(modelName));
    setItem(row, kBadge, new QTableWidgetItem(badge));
    setItem(row, kMethod, new QTableWidgetItem(method));
    setItem(row, kImages, numberItem(root.value("n_total").toDouble(), 0));
    setItem(row, kAccuracy, numberItem(100.0 * numberAt(summary, "accuracy"), 2));
    setItem(row, kRobust, numberItem(100.0 * numberAt(summary, "robust_accuracy"), 2));
    setItem(row, kGini, numberItem(numberAt(summary.value("sparseness").toObject(), "mean"), 3));
    setItem(row, kRis, numberItem(numberAt(summary.value("ris").toObject(), "log10_mean"), 3));
    setItem(row, kRos, numberItem(numberAt(summary.value("ros").toObject(), "log10_mean"), 3));
    const auto road = summary.value("road").toObject();
    setItem(row, kAopcMorf, numberItem(numberAt(road.value("morf").toObject(), "aopc"), 3));
    setItem(row, kAopcLerf, numberItem(numberAt(road.value("lerf").toObject(), "aopc"), 3));
    setSortingEnabled(true);
}

QStringList SummaryTable::csvHeader() const {
    QStringList names;
    for (const auto& column : kColumns) names << QString::fromLatin1(column.csv);
    return names;
}

QStringList SummaryTable::headerLabels() const {
    QStringList labels;
    for (int c = 0; c < columnCount(); ++c) labels << horizontalHeaderItem(c)->text();
    return labels;
}

QVector<QStringList> SummaryTable::rowsAsText() const {
    QVector<QStringList> rows;
    for (int r = 0; r < rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < columnCount(); ++c) {
            const auto* cell = item(r, c);
            // Exports keep full precision; the screen shows rounded numbers.
            row << (cell ? (cell->data(Qt::UserRole).isValid() ? QString::number(cell->data(Qt::UserRole).toDouble(), 'g', 10)
                                                               : cell->text())
                         : QString());
        }
        rows << row;
    }
    return rows;
}

void SummaryTable::copySelection() const {
    const auto ranges = selectedRanges();
    if (ranges.isEmpty()) return;
    const auto range = ranges.front();
    QStringList lines;
    QStringList header;
    for (int c = range.leftColumn(); c <= range.rightColumn(); ++c) header << horizontalHeaderItem(c)->text();
    lines << header.join('\t');
    for (int r = range.topRow(); r <= range.bottomRow(); ++r) {
        QStringList cells;
        for (int c = range.leftColumn(); c <= range.rightColumn(); ++c) cells << (item(r, c) ? item(r, c)->text() : QString());
        lines << cells.join('\t');
    }
    QApplication::clipboard()->setText(lines.join('\n'));
}

void SummaryTable::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        return;
    }
    QTableWidget::keyPressEvent(event);
}

}  // namespace sw::ui
