#pragma once

#include <QDialog>
#include <QString>

#include "util/Precision.h"

class QCheckBox;
class QComboBox;
class QLabel;

namespace sw::ui {

/// Where and how jobs compute, as the user chose it: remembered in QSettings ("compute/device",
/// "compute/deterministic", "compute/training_precision") and applied at start-up.
struct ComputeChoice {
    QString device = "auto";     ///< auto, cpu or cuda:N
    bool deterministic = false;  ///< cuDNN autotuning off, deterministic algorithms (repeatable, slower)
    /// Of training runs ("compute/training_precision"); maps and measures are always computed in fp32.
    sw::Precision trainingPrecision = sw::Precision::Float32;

    static ComputeChoice load();  ///< from QSettings; a remembered GPU that is gone falls back to auto
    void save() const;
    /// Process-wide part (determinism); the device goes into each request through the JobController.
    void applyProcessWide() const;
};

/// One line for the status bar: "Computing on cuda:0 (NVIDIA H100, 80 GB)" or "Computing on cpu (2 threads)".
QString describeComputeDevice(const QString& device);

/// Edit → Preferences: the compute device (every GPU the driver shows, with its name and memory) and the
/// deterministic switch, with the system's versions for reference.
class ComputePreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit ComputePreferencesDialog(const ComputeChoice& current, QWidget* parent = nullptr);
    ComputeChoice choice() const;

private:
    QComboBox* m_device;
    QCheckBox* m_deterministic;
    QComboBox* m_trainingPrecision;
};

}  // namespace sw::ui
