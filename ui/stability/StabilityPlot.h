#pragma once

#include <QMap>
#include <QString>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPTextElement;
class QTimer;

namespace sw::ui {

/// Stability curves: one line per model (mean over images) with its 95 % bootstrap band, growing as each
/// noise level finishes. Redrawn on a timer.
class StabilityPlot : public QWidget {
    Q_OBJECT
public:
    explicit StabilityPlot(QWidget* parent = nullptr);

    /// Starts a new figure; RIS and ROS are drawn on a log axis. The title (method, measure, images) goes
    /// above the plot, so that an exported figure says what it shows.
    void reset(const QString& measureLabel, bool logarithmic, const QString& title = {});
    QString title() const;
    /// Fonts, lines and markers grow by `factor` (presentation mode); 1 is the normal size.
    void setScale(double factor);
    void addPoint(const QString& series, double noiseSigma, double mean, double ciLow, double ciHigh);
    /// Points of a series so far (tests check every model got a graph with data).
    int pointCount(const QString& series) const;
    QStringList seriesNames() const { return m_series.keys(); }
    QCustomPlot* plot() const { return m_plot; }
    /// Redraws now if points arrived since the last timer tick (before exporting or grabbing).
    void flush();

private:
    struct Series {
        QCPGraph* mean = nullptr;
        QCPGraph* low = nullptr;
        QCPGraph* high = nullptr;
        int points = 0;
    };
    Series& seriesNamed(const QString& name);
    void redrawIfChanged(bool immediately);

    QCustomPlot* m_plot = nullptr;
    QMap<QString, Series> m_series;
    QTimer* m_redrawTimer = nullptr;
    bool m_logarithmic = false;
    double m_scale = 1.0;
    QCPTextElement* m_title = nullptr;
    bool m_dirty = false;
};

}  // namespace sw::ui
