#pragma once

#include <QDialog>
#include <QVector>

#include "study/StimuliJob.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;

namespace sw::ui {

struct ModelEntry;
class JobController;

/// File → New study: the choices of `saliency-cli stimuli` (conditions, images, rendering, orders) and the
/// texts participants see (study.json), gathered into a StimuliRequest. The study panel runs it as a job.
class NewStudyDialog : public QDialog {
    Q_OBJECT
public:
    /// `models`: the workspace's models, offered as conditions (all checked); `datasetSpec`: the images;
    /// `jobs` (may be null: no preview) computes the preview.
    NewStudyDialog(const QVector<ModelEntry>& models, const QString& datasetSpec, JobController* jobs = nullptr, QWidget* parent = nullptr);

    /// The request as the dialog stands (the output folder included).
    StimuliRequest request() const;
    /// Pre-fills the output folder (tests, and a sensible default next to the workspace).
    void setOutputFolder(const QString& folder);

    void accept() override;  ///< refuses, with a message, a study without models, methods or folder

    /// Computes the preview (the first images under every condition, and a warning for any condition that a
    /// shared colour scale would leave nearly invisible) on the job controller; shown when it is done.
    void preview();
    /// The preview's warnings, one per line; empty when none (or no preview yet).
    QString previewWarnings() const;
    bool previewShown() const { return m_previewShown; }

private:
    QListWidget* m_models = nullptr;
    QListWidget* m_methods = nullptr;
    QSpinBox* m_images = nullptr;
    QLineEdit* m_indices = nullptr;
    QCheckBox* m_uniformDraw = nullptr;
    QCheckBox* m_onlyCorrect = nullptr;
    QComboBox* m_layout = nullptr;
    QSpinBox* m_pixelSize = nullptr;
    QDoubleSpinBox* m_topK = nullptr;
    QCheckBox* m_caption = nullptr;
    QCheckBox* m_sharedScale = nullptr;
    QDoubleSpinBox* m_opacity = nullptr;
    QSpinBox* m_participants = nullptr;
    QSpinBox* m_attentionEvery = nullptr;
    QSpinBox* m_breakEvery = nullptr;
    QSpinBox* m_seed = nullptr;
    QLineEdit* m_title = nullptr;
    QPlainTextEdit* m_consent = nullptr;
    QPlainTextEdit* m_instructions = nullptr;
    QLineEdit* m_folder = nullptr;
    QString m_datasetSpec;
    JobController* m_jobs = nullptr;
    QWidget* m_previewRow = nullptr;  ///< one picture per condition
    QLabel* m_previewWarning = nullptr;
    bool m_previewShown = false;
};

}  // namespace sw::ui
