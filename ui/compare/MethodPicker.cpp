#include "compare/MethodPicker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QStandardItemModel>
#include <QLabel>
#include <QMenu>
#include <QSignalBlocker>
#include <QWidgetAction>

#include "explain/SaliencyConfig.h"
#include "explain/SaliencyMethods.h"

namespace sw::ui {

MethodPicker::MethodPicker(QWidget* parent) : QToolButton(parent) {
    setObjectName("methodPicker");
    setPopupMode(QToolButton::InstantPopup);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setToolTip(tr("The methods the grid shows, one column each"));
    auto* menu = new QMenu(this);
    menu->setObjectName("methodMenu");
    for (const auto& [family, familyName] : sw::saliencyMethodFamilies()) {
        bool any = false;
        for (const auto& method : sw::saliencyMethods()) {
            if (method.family != family) continue;
            if (!any) menu->addSection(QString::fromStdString(familyName));
            any = true;
            // A check box in the menu, not a checkable action: the menu stays open while several are picked.
            auto* box = new QCheckBox(QString::fromStdString(method.name + " — " + method.fullName));
            box->setObjectName("method-" + QString::fromStdString(method.id));
            box->setProperty("method", QString::fromStdString(method.id));
            box->setChecked(method.shownByDefault);
            sw::SaliencyConfig defaults;  // the parameters the grid computes with
            defaults.method = method.id;
            box->setToolTip(QString::fromStdString(sw::describeSaliencyMethod(defaults)));
            box->setContentsMargins(8, 2, 8, 2);
            connect(box, &QCheckBox::toggled, this, [this] {
                updateText();
                Q_EMIT changed();
            });
            auto* action = new QWidgetAction(menu);
            action->setDefaultWidget(box);
            menu->addAction(action);
            m_boxes.push_back(box);
        }
    }
    setMenu(menu);
    updateText();
}

QStringList MethodPicker::checkedIds() const {
    QStringList ids;
    for (const auto* box : m_boxes) {
        if (box->isChecked()) ids << box->property("method").toString();
    }
    return ids;
}

void MethodPicker::setCheckedIds(const QStringList& ids) {
    for (auto* box : std::as_const(m_boxes)) {
        const QSignalBlocker quiet(box);
        box->setChecked(ids.contains(box->property("method").toString()));
    }
    updateText();
}

void MethodPicker::updateText() {
    QStringList names;
    for (const auto* box : std::as_const(m_boxes)) {
        if (box->isChecked()) names << box->text().section(" — ", 0, 0);
    }
    // At most three names on the button; the rest as a count, so the button never widens the row.
    const QString shown = names.isEmpty()     ? tr("none")
                          : names.size() <= 3 ? names.join(", ")
                                              : names.mid(0, 2).join(", ") + tr(" +%1").arg(names.size() - 2);
    setText(tr("Methods: %1 ▾").arg(shown));
}

QString methodDisplayName(const QString& id) {
    for (const auto& method : sw::saliencyMethods()) {
        if (method.id == id.toStdString()) return QString::fromStdString(method.name);
    }
    return id;
}

void addMethodsByFamily(QComboBox* combo) {
    for (const auto& [family, familyName] : sw::saliencyMethodFamilies()) {
        bool any = false;
        for (const auto& method : sw::saliencyMethods()) {
            if (method.family != family) continue;
            if (!any) {
                combo->addItem(QString::fromStdString(familyName));
                // A heading: shown, but not a choice.
                if (auto* model = qobject_cast<QStandardItemModel*>(combo->model())) {
                    auto* heading = model->item(combo->count() - 1);
                    heading->setFlags(heading->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsEnabled));
                    auto font = heading->font();
                    font.setBold(true);
                    heading->setFont(font);
                }
            }
            any = true;
            combo->addItem(QStringLiteral("  ") + QString::fromStdString(method.name), QString::fromStdString(method.id));
            sw::SaliencyConfig defaults;
            defaults.method = method.id;
            combo->setItemData(combo->count() - 1, QString::fromStdString(sw::describeSaliencyMethod(defaults)), Qt::ToolTipRole);
        }
    }
    combo->setCurrentIndex(combo->findData(QString::fromStdString(sw::saliencyMethods().front().id)));
}

}  // namespace sw::ui
