#pragma once

#include <QWidget>

class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace sw::ui {

class ModelLibrary;

/// The workspace's models with their badges and accuracy; the check box says whether a model takes part
/// in the compare grid and the stability lab. Loads native and TorchScript files.
class ModelListPanel : public QWidget {
    Q_OBJECT
public:
    ModelListPanel(ModelLibrary* library, QWidget* parent = nullptr);

    /// Asks for a model file (and, for TorchScript without a sidecar, its input shape and classes).
    void loadModelInteractively();
    /// Loads without dialogs (drag and drop, tests); TorchScript files need a sidecar or the two arguments.
    void loadModel(const QString& path);
    /// Why a file offered as TorchScript cannot be one (it is not a torch.jit.save archive), or empty.
    /// Checked before asking for its input shape, so nobody fills in a dialog for a file that is no model.
    static QString torchScriptProblem(const QString& path);
    /// Shows or hides the card of the selected model (View → Model details).
    void setDetailsVisible(bool visible);
    /// The selected model's card as shown (tests read it).
    QString cardText() const;

private:
    void refresh();
    void showDetails();
    void removeSelected();

    ModelLibrary* m_library;
    QListWidget* m_list = nullptr;
    QWidget* m_detailsPane = nullptr;
    QTextBrowser* m_card = nullptr;
    QPushButton* m_rawToggle = nullptr;
    QPlainTextEdit* m_details = nullptr;  ///< the raw description, behind the "Details" toggle
    bool m_refreshing = false;
};

}  // namespace sw::ui
