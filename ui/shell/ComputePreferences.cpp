#include "shell/ComputePreferences.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

#include "util/SystemInfo.h"

namespace sw::ui {

namespace {

QStringList availableDevices() {
    QStringList devices;
    for (const auto& name : sw::deviceChoices(sw::querySystemInfo())) devices << QString::fromStdString(name);
    return devices;
}

}  // namespace

ComputeChoice ComputeChoice::load() {
    QSettings settings;
    ComputeChoice choice;
    choice.device = settings.value("compute/device", "auto").toString();
    choice.deterministic = settings.value("compute/deterministic", false).toBool();
    try {
        choice.trainingPrecision = sw::parsePrecision(settings.value("compute/training_precision", "fp32").toString().toStdString(), true);
    } catch (const std::exception&) {
        choice.trainingPrecision = sw::Precision::Float32;  // an edited settings file: the safe default
    }
    // A GPU remembered from another machine (or a removed card) must not make every job fail.
    if (!availableDevices().contains(choice.device) && choice.device != "cuda") choice.device = "auto";
    return choice;
}

void ComputeChoice::save() const {
    QSettings settings;
    settings.setValue("compute/device", device);
    settings.setValue("compute/deterministic", deterministic);
    settings.setValue("compute/training_precision", QString::fromStdString(sw::precisionName(trainingPrecision)));
}

void ComputeChoice::applyProcessWide() const { sw::setDeterministic(deterministic); }

QString describeComputeDevice(const QString& device) {
    try {
        return QObject::tr("Computing on %1").arg(QString::fromStdString(sw::describeDevice(device.toStdString())));
    } catch (const std::exception& error) {
        return QObject::tr("Device %1: %2").arg(device, QString::fromUtf8(error.what()));
    }
}

ComputePreferencesDialog::ComputePreferencesDialog(const ComputeChoice& current, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    const auto system = sw::querySystemInfo();
    m_device = new QComboBox;
    m_device->setObjectName("deviceChoice");
    for (const auto& name : sw::deviceChoices(system)) {
        const QString device = QString::fromStdString(name);
        QString label = device;
        if (device == "auto")
            label = tr("auto (the first GPU if there is one, else the CPU)");
        else
            label = QString::fromStdString(sw::describeDevice(name));
        m_device->addItem(label, device);
    }
    m_device->setCurrentIndex(std::max(0, m_device->findData(current.device)));
    m_device->setToolTip(tr("Where training, saliency maps and measures are computed. Applies to the next job."));
    m_deterministic = new QCheckBox(tr("Deterministic (repeatable on GPUs, slower)"));
    m_deterministic->setObjectName("deterministicChoice");
    m_deterministic->setChecked(current.deterministic);
    m_deterministic->setToolTip(
        tr("Turns cuDNN's autotuning off and asks for deterministic algorithms, so a seeded "
           "training repeats exactly. On the CPU results repeat either way."));

    m_trainingPrecision = new QComboBox;
    m_trainingPrecision->setObjectName("trainingPrecisionChoice");
    for (const auto precision : {sw::Precision::Float32, sw::Precision::TF32, sw::Precision::BF16}) {
        m_trainingPrecision->addItem(QString::fromStdString(sw::describePrecision(precision)), int(precision));
    }
    m_trainingPrecision->setCurrentIndex(std::max(0, m_trainingPrecision->findData(int(current.trainingPrecision))));
    m_trainingPrecision->setToolTip(
        tr("The arithmetic of training runs. TF32 and bf16 are faster on NVIDIA GPUs; a run's final evaluation, "
           "and every saliency map and measure, are computed in true float32 whatever you choose here."));

    auto* form = new QFormLayout;
    form->addRow(tr("Compute device:"), m_device);
    form->addRow(QString(), m_deterministic);
    form->addRow(tr("Training precision:"), m_trainingPrecision);
    auto* about = new QLabel(QString::fromStdString(sw::describeSystem(system)).trimmed().toHtmlEscaped().replace("\n", "<br>"));
    about->setObjectName("systemDescription");
    about->setWordWrap(true);
    about->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(about);
    layout->addWidget(buttons);
}

ComputeChoice ComputePreferencesDialog::choice() const {
    ComputeChoice choice;
    choice.device = m_device->currentData().toString();
    choice.deterministic = m_deterministic->isChecked();
    choice.trainingPrecision = sw::Precision(m_trainingPrecision->currentData().toInt());
    return choice;
}

}  // namespace sw::ui
