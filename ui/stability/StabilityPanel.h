#pragma once

#include <QSet>
#include <QVector>
#include <QWidget>

#include "io/CurvesCsv.h"
#include "jobs/JobEdge.h"
#include "jobs/SaliencyEvaluationJob.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace sw::ui {

class GeometryScatter;
struct ModelEntry;
class JobController;
class ModelLibrary;
class StabilityPlot;
class SummaryTable;

/// The stability lab: curves of a measure against input noise for the checked models (growing live as
/// each σ finishes), and the paper's summary table per model and method.
class StabilityPanel : public QWidget {
    Q_OBJECT
public:
    StabilityPanel(ModelLibrary* library, JobController* jobs, QWidget* parent = nullptr);

    void setImageCount(int count);
    /// Presentation mode: the plot's fonts and lines grow, the summary table steps aside.
    void setPresentation(bool on);
    void setNoiseLevels(const QString& commaSeparated);
    void setMeasure(const QString& measure);  ///< ssim, ris, ros, topk, spearman
    void setMethod(const QString& method);    ///< vg, ig, sg

    /// Shows a `saliency-cli reproduce` folder: its evaluations in the table and its SSIM curves (for
    /// `method`) in the plot. Returns an error message naming the folder, or empty.
    QString loadReport(const QString& folder, const QString& method = "vg");

    void runCurves();
    void runSummary();
    /// Curvature against RIS per image for every checked model with the chosen method, in its own window
    /// (docs/GEOMETRY.md); a clicked point opens the geometry explorer around that image.
    void runCurvatureScatter();
    GeometryScatter* curvatureScatter() const { return m_scatter; }
    void cancel();
    bool isRunning() const { return !m_activeJobs.isEmpty(); }

    StabilityPlot* plot() const { return m_plot; }
    SummaryTable* table() const { return m_table; }
    /// Every curve point so far, as the CSV export writes them.
    const std::vector<sw::CurveRow>& curveRows() const { return m_curveRows; }
    QString exportCurvesCsv(const QString& path) const;
    QString exportPlot(const QString& path) const;
    QString exportTableCsv(const QString& path) const;

Q_SIGNALS:
    void curvesFinished(int outcome);
    void summaryFinished(int outcome);
    void curvatureScatterFinished(int outcome);
    void statusMessage(const QString& message);

private:
    std::vector<double> noiseLevels() const;
    /// The protocol for one checked model and method on the lab's dataset, image count and device.
    sw::SaliencyEvaluationRequest evaluationRequest(const ModelEntry& entry, const QString& method,
                                                    std::vector<std::string> measures) const;
    QString datasetSpec() const;
    void addCurveRow(const sw::CurveRow& row, const QString& seriesName);
    void onJobFinished(int jobId, sw::Outcome outcome, const QString& message);
    enum class ExportKind { Plot, Curves, Table };
    void exportInteractively(ExportKind kind);
    /// The geometry explorer around dataset image `index`, for the checked models and the chosen method.
    void exploreAround(qint64 index);

    ModelLibrary* m_library;
    JobController* m_jobs;
    QComboBox* m_method = nullptr;
    QComboBox* m_measure = nullptr;
    QLineEdit* m_noise = nullptr;
    QSpinBox* m_images = nullptr;
    QPushButton* m_runCurves = nullptr;
    QPushButton* m_runSummary = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_status = nullptr;
    StabilityPlot* m_plot = nullptr;
    SummaryTable* m_table = nullptr;
    std::vector<sw::CurveRow> m_curveRows;  ///< as plotted, for the CSV export
    QVector<int> m_activeJobs;
    int m_curvesJob = -1;
    int m_curvesGeneration = 0;
    QSet<int> m_summaryJobs;
    QSet<int> m_scatterJobs;
    GeometryScatter* m_scatter = nullptr;  ///< made on first use, kept (hidden when closed) for the next run
};

}  // namespace sw::ui
