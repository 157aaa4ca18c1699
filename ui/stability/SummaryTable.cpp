#include "stability/SummaryTable.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>

#include <cmath>

namespace sw::ui {

namespace {

enum Column { kModel, kBadge, kMethod, kImages, kAccuracy, kRobust, kGini, kRis, kRos, kAopcMorf, kAopcLerf, kColumnCount };

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
    setHorizontalHeaderLabels({tr("Model"), tr("Badge"), tr("Method"), tr("Images"), tr("Accuracy %"), tr("Robust acc. %"), tr("Gini ↑"),
                               tr("RIS (log₁₀ mean) ↓"), tr("log₁₀ ROS ↓"), tr("AOPC MoRF ↑"), tr("AOPC LeRF ↓")});
    setSortingEnabled(true);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setToolTip(tr("Click a header to sort; Ctrl+C copies the selected cells (tab-separated)"));
}

void SummaryTable::addEvaluation(const QString& modelName, const QString& badge, const QByteArray& evaluationJson) {
    const auto root = QJsonDocument::fromJson(evaluationJson).object();
    const auto summary = root.value("summary").toObject();
    const QString method = root.value("method").toObject().value("method").toString().toUpper();
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
