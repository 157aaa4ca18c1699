#include "compare/ImageBrowser.h"

#include <QAbstractListModel>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "widgets/MatImage.h"

namespace sw::ui {

/// The filtered samples as a list model; pixmaps are made when a row is first shown.
class ThumbnailModel : public QAbstractListModel {
public:
    void setOverview(const sw::DatasetOverview& overview) {
        beginResetModel();
        m_overview = overview;
        m_shown.clear();
        m_pixmaps.clear();
        endResetModel();
    }
    void setFilter(int classIndex, bool misclassifiedOnly) {
        beginResetModel();
        m_shown.clear();
        const bool havePredictions = m_overview.predictions.size() == m_overview.labels.size();
        for (size_t i = 0; i < m_overview.labels.size(); ++i) {
            if (classIndex >= 0 && m_overview.labels[i] != classIndex) continue;
            if (misclassifiedOnly && (!havePredictions || m_overview.predictions[i] == m_overview.labels[i])) continue;
            m_shown.push_back(qint64(i));
        }
        endResetModel();
    }
    const sw::DatasetOverview& overview() const { return m_overview; }
    qint64 sampleAt(int row) const { return m_shown.value(row, -1); }
    int rowOfSample(qint64 sample) const { return m_shown.indexOf(sample); }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : m_shown.size(); }
    QVariant data(const QModelIndex& index, int role) const override {
        const qint64 sample = sampleAt(index.row());
        if (sample < 0) return {};
        const auto label = m_overview.labels[size_t(sample)];
        const QString className = label >= 0 && size_t(label) < m_overview.classNames.size()
                                      ? QString::fromStdString(m_overview.classNames[size_t(label)])
                                      : QString::number(label);
        if (role == Qt::DisplayRole) return QString::number(sample);
        if (role == Qt::ToolTipRole) {
            QString tip = QString("#%1 — %2").arg(sample).arg(className);
            if (m_overview.predictions.size() == m_overview.labels.size()) {
                const auto predicted = m_overview.predictions[size_t(sample)];
                if (predicted != label && predicted >= 0 && size_t(predicted) < m_overview.classNames.size()) {
                    tip += QObject::tr(" (predicted %1)").arg(QString::fromStdString(m_overview.classNames[size_t(predicted)]));
                }
            }
            return tip;
        }
        if (role == Qt::DecorationRole) {
            auto found = m_pixmaps.find(sample);
            if (found == m_pixmaps.end()) {
                const QImage image = matToQImage(m_overview.thumbnails[size_t(sample)]);
                found = m_pixmaps.insert(sample, QPixmap::fromImage(image.scaled(56, 56, Qt::KeepAspectRatio, Qt::FastTransformation)));
            }
            return *found;
        }
        return {};
    }

private:
    sw::DatasetOverview m_overview;
    QVector<qint64> m_shown;
    mutable QHash<qint64, QPixmap> m_pixmaps;
};

ImageBrowser::ImageBrowser(QWidget* parent) : QWidget(parent), m_model(std::make_unique<ThumbnailModel>()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_classFilter = new QComboBox;
    m_classFilter->setObjectName("classFilter");
    m_classFilter->setToolTip(tr("Show one class only"));
    m_misclassifiedOnly = new QCheckBox(tr("Misclassified only"));
    m_misclassifiedOnly->setObjectName("misclassifiedOnly");
    m_misclassifiedOnly->setToolTip(tr("Only samples the first checked model gets wrong"));
    auto* searchRow = new QHBoxLayout;
    m_indexBox = new QSpinBox;
    m_indexBox->setRange(0, 0);
    m_indexBox->setToolTip(tr("Go to a sample by its index in the dataset"));
    auto* previousButton = new QPushButton(tr("◀"));
    previousButton->setToolTip(tr("Previous image (Page Up)"));
    auto* nextButton = new QPushButton(tr("▶"));
    nextButton->setToolTip(tr("Next image (Page Down)"));
    searchRow->addWidget(new QLabel(tr("Index")));
    searchRow->addWidget(m_indexBox, 1);
    searchRow->addWidget(previousButton);
    searchRow->addWidget(nextButton);
    m_view = new QListView;
    m_view->setObjectName("thumbnails");
    m_view->setViewMode(QListView::IconMode);
    m_view->setUniformItemSizes(true);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setIconSize(QSize(56, 56));
    m_view->setGridSize(QSize(70, 80));
    m_view->setModel(m_model.get());
    m_view->setToolTip(tr("Click a thumbnail to explain it; drop an image file on the grid to explain that"));
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_classFilter);
    layout->addWidget(m_misclassifiedOnly);
    layout->addLayout(searchRow);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_classFilter, &QComboBox::currentIndexChanged, this, &ImageBrowser::applyFilter);
    connect(m_misclassifiedOnly, &QCheckBox::toggled, this, &ImageBrowser::applyFilter);
    connect(m_indexBox, &QSpinBox::editingFinished, this, [this] { selectIndex(m_indexBox->value()); });
    connect(previousButton, &QPushButton::clicked, this, &ImageBrowser::previous);
    connect(nextButton, &QPushButton::clicked, this, &ImageBrowser::next);
    connect(m_view, &QListView::clicked, this, [this](const QModelIndex& index) {
        const qint64 sample = m_model->sampleAt(index.row());
        if (sample >= 0) selectIndex(sample);
    });
}

ImageBrowser::~ImageBrowser() = default;

void ImageBrowser::setOverview(const sw::DatasetOverview& overview) {
    m_model->setOverview(overview);
    {
        const QSignalBlocker blocker(m_classFilter);
        m_classFilter->clear();
        m_classFilter->addItem(tr("All classes"), -1);
        for (size_t i = 0; i < overview.classNames.size(); ++i) {
            m_classFilter->addItem(QString::fromStdString(overview.classNames[i]), int(i));
        }
    }
    m_misclassifiedOnly->setEnabled(overview.predictions.size() == overview.labels.size() && !overview.labels.empty());
    m_indexBox->setRange(0, std::max(0, int(overview.labels.size()) - 1));
    size_t wrong = 0;
    for (size_t i = 0; i < overview.predictions.size() && i < overview.labels.size(); ++i)
        wrong += overview.predictions[i] != overview.labels[i];
    setStatus(tr("%1: %2 images%3")
                  .arg(QString::fromStdString(overview.spec))
                  .arg(overview.labels.size())
                  .arg(overview.predictions.empty() ? QString() : tr(", %1 misclassified").arg(wrong)));
    applyFilter();
}

void ImageBrowser::setStatus(const QString& text) { m_status->setText(text); }

int ImageBrowser::visibleCount() const { return m_model->rowCount(); }

void ImageBrowser::applyFilter() {
    m_model->setFilter(m_classFilter->currentData().toInt(), m_misclassifiedOnly->isChecked());
    const int row = m_model->rowOfSample(m_current);
    if (row >= 0) m_view->setCurrentIndex(m_model->index(row));
}

void ImageBrowser::selectIndex(qint64 index) {
    if (index < 0 || index >= qint64(m_model->overview().labels.size())) return;
    showCurrent(index);
    Q_EMIT imageChosen(index);
}

void ImageBrowser::showCurrent(qint64 index) {
    m_current = index;
    {
        const QSignalBlocker blocker(m_indexBox);
        m_indexBox->setValue(int(index));
    }
    const int row = m_model->rowOfSample(index);
    if (row >= 0) {
        m_view->setCurrentIndex(m_model->index(row));
        m_view->scrollTo(m_model->index(row));
    }
}

void ImageBrowser::next() { step(+1); }
void ImageBrowser::previous() { step(-1); }

void ImageBrowser::step(int direction) {
    if (m_model->rowCount() == 0) return;
    // Steps through the filtered samples; from a sample outside the filter, to the nearest one inside.
    int row = m_model->rowOfSample(m_current);
    if (row < 0) {
        row = 0;
        while (row < m_model->rowCount() && m_model->sampleAt(row) < m_current) ++row;
        if (direction < 0) --row;
    } else {
        row += direction;
    }
    row = std::clamp(row, 0, m_model->rowCount() - 1);
    selectIndex(m_model->sampleAt(row));
}

}  // namespace sw::ui
