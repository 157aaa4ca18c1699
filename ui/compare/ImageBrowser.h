#pragma once

#include <QWidget>

#include <memory>

#include "jobs/CompareSession.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QSpinBox;

namespace sw::ui {

class ThumbnailModel;

/// Thumbnails of the dataset with a class filter, "misclassified only" (by the first checked model),
/// search by index and previous/next. Emits the chosen sample's index.
class ImageBrowser : public QWidget {
    Q_OBJECT
public:
    explicit ImageBrowser(QWidget* parent = nullptr);
    ~ImageBrowser() override;

    void setOverview(const sw::DatasetOverview& overview);
    void setStatus(const QString& text);
    qint64 currentIndex() const { return m_current; }
    /// Shown samples after filtering, for tests.
    int visibleCount() const;

    void selectIndex(qint64 index);
    /// Shows `index` as the current sample without announcing it (when the choice came from elsewhere).
    void showCurrent(qint64 index);
    void next();
    void previous();

Q_SIGNALS:
    void imageChosen(qint64 index);

private:
    void applyFilter();
    void step(int direction);

    std::unique_ptr<ThumbnailModel> m_model;
    QComboBox* m_classFilter = nullptr;
    QCheckBox* m_misclassifiedOnly = nullptr;
    QSpinBox* m_indexBox = nullptr;
    QListView* m_view = nullptr;
    QLabel* m_status = nullptr;
    qint64 m_current = 0;
};

}  // namespace sw::ui
