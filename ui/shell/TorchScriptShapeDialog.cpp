#include "shell/TorchScriptShapeDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace sw::ui {

TorchScriptShapeDialog::TorchScriptShapeDialog(const QString& fileName, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Describe %1").arg(fileName));
    auto* form = new QFormLayout(this);
    form->addRow(new QLabel(tr("%1 is a TorchScript file without a sidecar JSON.\n"
                               "Say what images it takes (pixels in [0, 1]) and what it predicts.")
                                .arg(fileName)));
    auto spin = [](int minimum, int maximum, int value, const QString& tip) {
        auto* box = new QSpinBox;
        box->setRange(minimum, maximum);
        box->setValue(value);
        box->setToolTip(tip);
        return box;
    };
    m_channels = spin(1, 4, 1, tr("1 = grey, 3 = RGB"));
    m_height = spin(1, 4096, 28, tr("Input height in pixels"));
    m_width = spin(1, 4096, 28, tr("Input width in pixels"));
    m_classCount = spin(1, 100000, 10, tr("Number of logits the model outputs"));
    m_classNames = new QLineEdit;
    m_classNames->setPlaceholderText(tr("optional: T-shirt, Trouser, … (comma-separated)"));
    m_classNames->setToolTip(tr("Class names in logit order; leave empty to number them"));
    form->addRow(tr("Channels"), m_channels);
    form->addRow(tr("Height"), m_height);
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Classes"), m_classCount);
    form->addRow(tr("Class names"), m_classNames);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QVector<qint64> TorchScriptShapeDialog::inputShape() const { return {m_channels->value(), m_height->value(), m_width->value()}; }

QStringList TorchScriptShapeDialog::classNames() const {
    QStringList names;
    for (const auto& name : m_classNames->text().split(',', Qt::SkipEmptyParts)) names << name.trimmed();
    if (names.isEmpty()) {
        for (int i = 0; i < m_classCount->value(); ++i) names << QString::number(i);
    }
    return names;
}

}  // namespace sw::ui
