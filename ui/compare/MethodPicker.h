#pragma once

#include <QStringList>
#include <QToolButton>

class QCheckBox;
class QComboBox;

namespace sw::ui {

/// Which saliency methods the compare grid shows: one button ("VG, IG, SmoothGrad ▾") whose menu lists every
/// method of the method table, grouped by family, each with a check box and its one-line description. It stays
/// one button wide however many methods there are, so the row fits a 1280-pixel screen in presentation mode.
class MethodPicker : public QToolButton {
    Q_OBJECT
public:
    explicit MethodPicker(QWidget* parent = nullptr);

    /// The checked methods' ids, in the method table's order.
    QStringList checkedIds() const;
    /// Checks exactly these ids (unknown ones are ignored); emits nothing.
    void setCheckedIds(const QStringList& ids);

Q_SIGNALS:
    /// The user checked or unchecked a method.
    void changed();

private:
    void updateText();
    QVector<QCheckBox*> m_boxes;
};

/// The method table's short name for an id ("Grad-CAM"), or the id itself for one this program does not know
/// (an evaluation file from another version).
QString methodDisplayName(const QString& id);

/// Fills a single-choice combo box with every method of the method table, grouped by family under
/// unselectable headings; each item's data is the method id, its tooltip the method's description.
void addMethodsByFamily(QComboBox* combo);

}  // namespace sw::ui
