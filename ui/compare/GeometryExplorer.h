#pragma once

#include <QDialog>
#include <QImage>
#include <QStringList>
#include <QVector>

#include <opencv2/core.hpp>

#include "explain/SaliencyConfig.h"
#include "io/HeatmapStyle.h"
#include "jobs/ModelReference.h"
#include "jobs/SliceJob.h"

class QComboBox;
class QCPItemStraightLine;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;

namespace sw::ui {

class JobController;

/// What the explorer looks around: the compare grid's image, its models and the method of the chosen column.
struct ExplorerSubject {
    QVector<sw::ModelReference> models;
    QStringList modelNames;
    sw::SaliencyConfig method;
    QString methodName;
    QString datasetSpec;
    qint64 index = 0;
    QString imageFile;  ///< set when the grid shows an image file instead of a dataset sample
    QString caption;    ///< how the grid names the image
    cv::Mat image;      ///< 8-bit, as the grid shows it: the maps are drawn over it
    sw::HeatmapStyle style;
    QString device = "auto";
};

/// The local-geometry explorer (docs/GEOMETRY.md): the models along a line x + t·d through the image — a
/// measure over t with a cursor, the maps at the cursor's t under it, and each model's curvature, Hessian and
/// RIS/ROS at x. The slice runs as a job; moving the cursor only redraws.
class GeometryExplorer : public QDialog {
    Q_OBJECT
public:
    GeometryExplorer(ExplorerSubject subject, JobController* jobs, QWidget* parent = nullptr);

    /// random, gradient, pgd or image:N (sliceDirectionHelp()).
    void setDirection(const QString& direction);
    QString direction() const;
    void setRadius(double radius);
    void setPoints(int points);
    /// Starts the slice (the previous one, if running, is superseded).
    void run();
    bool isRunning() const { return m_running; }

    /// The plotted measure: margin, logit, probability, gradient_norm, ssim, cosine or curvature.
    void setMeasure(const QString& measure);
    /// Moves the cursor to point `point` of the slice and shows the maps there.
    void setCursorPoint(int point);
    int cursorPoint() const;

    const QVector<sw::ModelSlice>& slices() const { return m_slices; }
    QCustomPlot* plot() const { return m_plot; }
    /// The map of model `model` at the cursor, as shown (a null image before the slice arrives).
    QImage shownMap(int model) const;
    QTableWidget* geometryTable() const { return m_table; }
    /// Why the last slice failed, in one sentence (empty when it did not).
    QString statusText() const;

Q_SIGNALS:
    void sliceFinished();

private:
    void addSlice(const sw::ModelSlice& slice);
    void replot();
    void showCursor();

    ExplorerSubject m_subject;
    JobController* m_jobs;
    QComboBox* m_direction = nullptr;
    QSpinBox* m_towardIndex = nullptr;
    QDoubleSpinBox* m_radius = nullptr;
    QSpinBox* m_points = nullptr;
    QPushButton* m_run = nullptr;
    QComboBox* m_measure = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPItemStraightLine* m_cursorLine = nullptr;
    QSlider* m_cursor = nullptr;
    QLabel* m_cursorLabel = nullptr;
    QVector<QLabel*> m_maps;
    QVector<QLabel*> m_mapCaptions;
    QTableWidget* m_table = nullptr;
    QLabel* m_status = nullptr;
    QVector<sw::ModelSlice> m_slices;
    QVector<QImage> m_shownMaps;
    int m_generation = 0;
    bool m_running = false;
};

}  // namespace sw::ui
