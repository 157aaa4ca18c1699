#pragma once

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

#include <memory>

#include "explain/SaliencyConfig.h"
#include "jobs/CompareSession.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace sw::ui {

class GeometryExplorer;
class MethodPicker;

class ImageBrowser;
class JobController;
class ModelLibrary;
class OverlayGrid;
class OverlayStyleBar;

/// The heart of the workbench: the checked models × the chosen methods for one image, recomputed on the
/// interactive worker whenever the image, the noise or the models change; restyled without recomputing.
class ComparePanel : public QWidget {
    Q_OBJECT
public:
    ComparePanel(ModelLibrary* library, JobController* jobs, QWidget* parent = nullptr);

    OverlayGrid* grid() const { return m_grid; }
    ImageBrowser* browser() const { return m_browser; }
    OverlayStyleBar* styleBar() const { return m_styleBar; }

    /// Pixel noise σ added to the image (the classroom slider); recomputes.
    void setNoiseSigma(double sigma);
    double noiseSigma() const;
    /// Explains an image file instead of a dataset sample (drag and drop does this).
    void showImageFile(const QString& path);
    void showDatasetSample(qint64 index);
    /// Seed of the noise the slider adds (shown beside it, saved with the view).
    void setNoiseSeed(int seed);
    int noiseSeed() const;
    /// Presentation mode: larger cells, and only the slim control strip (image ◀ ▶, noise, methods).
    void setPresentation(bool on);
    /// The line above the grid saying what the shown models can and cannot tell (empty hides it).
    void setModelsNote(const QString& text);
    /// Checked method ids, in the table's order.
    QStringList checkedMethodIds() const;
    void setCheckedMethodIds(const QStringList& ids);
    /// The feature layer CAMs use ("" = each model's last convolutional one); recomputes.
    void setCamLayer(const QString& layer);
    QString camLayer() const;
    qint64 shownIndex() const { return m_index; }
    /// What the workspace saves of this panel: image, methods, style, noise σ and seed, A/B cells.
    QJsonObject viewState() const;
    /// Puts the panel back as `viewState` left it (A/B cells once their models are shown).
    void restoreViewState(const QJsonObject& state);

    /// How many comparisons were started (tests check that a style change starts none).
    int computeCount() const { return m_computeCount; }
    /// Milliseconds from the last request to its first finished cell (−1 before any).
    double lastFirstCellMilliseconds() const { return m_firstCellMs; }
    bool isComputing() const { return m_computing; }
    /// Writes the grid as a figure: PNG, SVG or PDF by extension. Returns an error message or empty.
    QString exportFigure(const QString& path) const;
    /// Writes each finished cell as FOLDER/<model>_<method>.png, at least `side` pixels square. Returns an
    /// error message or empty; `written` gets the files.
    QString exportCells(const QString& folder, int side, QStringList* written = nullptr) const;
    /// Opens the local-geometry explorer (docs/GEOMETRY.md) around the shown image, for the shown models and the
    /// method of column `methodIndex`, and starts its slice; a cell's context menu calls it. Null when nothing is shown.
    GeometryExplorer* openExplorer(int methodIndex);

Q_SIGNALS:
    void comparisonFinished();
    void statusMessage(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    /// Rows and columns: the style bar's choice, or in presentation mode the longer side along the screen.
    void applyOrientation();
    QVector<sw::SaliencyConfig> chosenMethods() const;
    void relayout();
    void recompute();
    void reloadOverview();
    void exportInteractively();
    void exportCellsInteractively();
    void onJobFinished(int jobId, sw::Outcome outcome, const QString& message);
    /// The CAM layer drop-down: the checked models' feature layers, shown while a CAM is checked.
    void updateCamLayers();
    /// Says what a slow method (Occlusion) will cost before the grid computes it.
    void announceCost(const QVector<sw::SaliencyConfig>& methods);

    ModelLibrary* m_library;
    JobController* m_jobs;
    std::shared_ptr<sw::CompareSession> m_session;
    ImageBrowser* m_browser = nullptr;
    OverlayGrid* m_grid = nullptr;
    OverlayStyleBar* m_styleBar = nullptr;
    MethodPicker* m_methods = nullptr;
    QComboBox* m_camLayer = nullptr;
    QString m_wantedCamLayer;  ///< the user's (or the saved view's) choice, kept while no checked model has it
    QSlider* m_noise = nullptr;
    QLabel* m_noiseLabel = nullptr;
    QSpinBox* m_noiseSeed = nullptr;
    QLabel* m_modelsNote = nullptr;
    QPushButton* m_exportButton = nullptr;
    QWidget* m_statusRow = nullptr;
    QLabel* m_probe = nullptr;
    QLabel* m_timing = nullptr;

    void applyPendingDifference();

    QVector<sw::ModelReference> m_shownModels;
    QJsonArray m_pendingDifference;  ///< A/B cells of a restored view, chosen once their models are laid out
    QString m_overviewKey;           ///< dataset + first model the browser's predictions came from
    QString m_shownDataset;
    qint64 m_index = 0;
    QString m_imageFile;
    int m_generation = 0;  ///< results of superseded requests are dropped
    int m_computeCount = 0;
    int m_currentJobId = -1;
    bool m_computing = false;
    bool m_presentation = false;
    double m_firstCellMs = -1.0;
    QElapsedTimer m_requestClock;
};

}  // namespace sw::ui
