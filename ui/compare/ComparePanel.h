#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include <memory>

#include "explain/SaliencyConfig.h"
#include "jobs/CompareSession.h"

class QCheckBox;
class QLabel;
class QSlider;

namespace sw::ui {

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
    /// Larger cells for presentations.
    void setPictureSide(int pixels);

    /// How many comparisons were started (tests check that a style change starts none).
    int computeCount() const { return m_computeCount; }
    /// Milliseconds from the last request to its first finished cell (−1 before any).
    double lastFirstCellMilliseconds() const { return m_firstCellMs; }
    bool isComputing() const { return m_computing; }
    /// Writes the grid as a figure: PNG, SVG or PDF by extension. Returns an error message or empty.
    QString exportFigure(const QString& path) const;

Q_SIGNALS:
    void comparisonFinished();
    void statusMessage(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QVector<sw::SaliencyConfig> chosenMethods() const;
    void relayout();
    void recompute();
    void reloadOverview();
    void exportInteractively();
    void onJobFinished(int jobId, sw::Outcome outcome, const QString& message);

    ModelLibrary* m_library;
    JobController* m_jobs;
    std::shared_ptr<sw::CompareSession> m_session;
    ImageBrowser* m_browser = nullptr;
    OverlayGrid* m_grid = nullptr;
    OverlayStyleBar* m_styleBar = nullptr;
    QVector<QCheckBox*> m_methodBoxes;
    QSlider* m_noise = nullptr;
    QLabel* m_noiseLabel = nullptr;
    QLabel* m_probe = nullptr;
    QLabel* m_timing = nullptr;

    QVector<sw::ModelReference> m_shownModels;
    QString m_overviewKey;  ///< dataset + first model the browser's predictions came from
    QString m_shownDataset;
    qint64 m_index = 0;
    QString m_imageFile;
    int m_generation = 0;  ///< results of superseded requests are dropped
    int m_computeCount = 0;
    int m_currentJobId = -1;
    bool m_computing = false;
    double m_firstCellMs = -1.0;
    QElapsedTimer m_requestClock;
};

}  // namespace sw::ui
