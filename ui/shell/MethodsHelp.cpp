#include "shell/MethodsHelp.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include "explain/SaliencyMethods.h"
#include "metrics/EvaluationMeasures.h"

namespace sw::ui {

namespace {

QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

QDialog* helpDialogOf(QWidget* near) {
    QWidget* window = near ? near->window() : nullptr;
    if (window) {
        if (auto* existing = window->findChild<QDialog*>("methodsHelp")) return existing;
    }
    auto* dialog = new QDialog(window);
    dialog->setObjectName("methodsHelp");
    dialog->setWindowTitle(QObject::tr("Methods and measures — Saliency Workbench"));
    auto* layout = new QVBoxLayout(dialog);
    auto* browser = new QTextBrowser;
    browser->setObjectName("methodsHelpText");
    browser->setHtml(methodsAndMeasuresHtml());
    layout->addWidget(browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(640, 560);
    return dialog;
}

}  // namespace

QString methodsAndMeasuresHtml() {
    QString text = QObject::tr(
        "<h2>Saliency methods</h2><p>A saliency map gives every pixel a score: how much the "
        "model's score for the explained class depends on it.</p>");
    for (const auto& [family, familyName] : sw::saliencyMethodFamilies()) {
        text += QString("<h2>%1</h2>").arg(html(familyName));
        for (const auto& method : sw::saliencyMethods()) {
            if (method.family != family) continue;
            sw::SaliencyConfig defaults;
            defaults.method = method.id;
            text += QString("<h3><a name='method-%1'></a>%2 — %3</h3><p>%4</p><p><i>%5</i>. ")
                        .arg(html(method.id), html(method.name), html(method.fullName), html(method.explanation),
                             html(sw::describeSaliencyMethod(defaults)));
            text += QObject::tr("Equals %1.").arg(html(method.reference));
            if (method.needs) text += " " + QObject::tr("Needs %1.").arg(html(sw::describeModelNeeds(method.needs)));
            if (!method.stabilityNote.empty()) text += " " + html(method.stabilityNote);
            text += "</p>";
        }
    }
    text += QObject::tr("<h2>Measures</h2><p>↑ means higher is better, ↓ lower is better.</p>");
    for (const auto& measure : sw::evaluationMeasures()) {
        text += QString("<h3><a name='measure-%1'></a>%2 %3</h3><p>%4</p>")
                    .arg(html(measure.id), html(measure.name), measure.better == sw::Better::Higher ? "↑" : "↓", html(measure.explanation));
    }
    return text;
}

void showMethodsHelp(QWidget* near, const QString& anchor) {
    auto* dialog = helpDialogOf(near);
    auto* browser = dialog->findChild<QTextBrowser*>("methodsHelpText");
    if (anchor.isEmpty())
        browser->moveCursor(QTextCursor::Start);
    else
        browser->scrollToAnchor(anchor);
    dialog->show();
    dialog->raise();
}

QToolButton* makeHelpButton(const QString& anchor, const QString& toolTip) {
    auto* button = new QToolButton;
    button->setText("?");
    button->setObjectName("help-" + anchor);
    button->setToolTip(toolTip);
    button->setProperty("anchor", anchor);
    QObject::connect(button, &QToolButton::clicked, button, [button] { showMethodsHelp(button, button->property("anchor").toString()); });
    return button;
}

QString demoModelsNote() {
    return QObject::tr(
        "Demo: three LeNets trained on Fashion-MNIST (one training run each). Across five training runs, the adversarially "
        "trained models' maps were reliably sparser and steadier under noise than the natural model's; the smoothing "
        "block's extra stability was not reproduced, so differences between the two adversarial models here may be "
        "chance. (resources/models/README.md, docs/REPRODUCTION.md)");
}

QString welcomeHtml() {
    return QObject::tr(
        "<h2>Welcome to Saliency Workbench</h2>"
        "<p>The demo shows one Fashion-MNIST image explained by three models: a <b>natural</b> LeNet, an "
        "<b>adversarially trained</b> one (PGD, ε = 0.1) and an adversarially trained one with a "
        "<b>smoothing block</b>. Each cell is a saliency map laid over the image: bright where the "
        "model's score depends most on the pixel.</p>"
        "<p><b>Things to try</b></p><ol>"
        "<li><b>Move the noise slider</b> above the grid: the natural model's maps fall apart, the "
        "adversarial ones hold.</li>"
        "<li><b>Compare natural and adversarial</b>: right-click one cell as A and another as B to see "
        "where they differ; Page Up/Down steps through the images.</li>"
        "<li><b>Plot the stability curves</b> in the Stability lab (Ctrl+2, then Plot curves).</li>"
        "<li>Press <b>F11</b> for presentation mode on a projector.</li></ol>"
        "<p>Help → <i>Methods and measures</i> explains every method and measure; the note above the "
        "grid says what the demo models do and do not show.</p>");
}

}  // namespace sw::ui
