#pragma once

#include <QDialog>
#include <QStringList>
#include <QVector>

class QLineEdit;
class QSpinBox;

namespace sw::ui {

/// Asks for what a TorchScript file cannot say about itself: its input shape and class names.
class TorchScriptShapeDialog : public QDialog {
    Q_OBJECT
public:
    TorchScriptShapeDialog(const QString& fileName, QWidget* parent = nullptr);

    QVector<qint64> inputShape() const;
    /// Comma-separated names; when empty, "0", "1", … up to `classCount`.
    QStringList classNames() const;

private:
    QSpinBox* m_channels;
    QSpinBox* m_height;
    QSpinBox* m_width;
    QSpinBox* m_classCount;
    QLineEdit* m_classNames;
};

}  // namespace sw::ui
