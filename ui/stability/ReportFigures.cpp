#include "stability/ReportFigures.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSaveFile>

#include <cmath>
#include <memory>

#include "widgets/FigureExport.h"
#include "compare/OverlayGrid.h"
#include "stability/StabilityPlot.h"
#include "shell/Workspace.h"
#include "io/CurvesCsv.h"
#include "jobs/CompareSession.h"
#include "util/InputError.h"

namespace sw::ui {

namespace {

/// The command line has no QApplication; widgets need one, and no display is needed to draw into files.
std::unique_ptr<QApplication> ensureApplication() {
    if (QCoreApplication::instance()) return nullptr;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "saliency-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

struct CurvePoint {
    double sigma, mean, low, high;
};

/// curves.csv (io/CurvesCsv.h) → method → model → points, in file order.
QMap<QString, QMap<QString, QVector<CurvePoint>>> readCurves(const QString& path, QStringList* modelOrder) {
    QMap<QString, QMap<QString, QVector<CurvePoint>>> curves;
    for (const auto& row : sw::readCurvesCsv(path.toStdString())) {
        const QString model = QString::fromStdString(row.model);
        if (!modelOrder->contains(model)) modelOrder->append(model);
        curves[QString::fromStdString(row.method)][model].push_back({row.noiseSigma, row.mean, row.ciLow, row.ciHigh});
    }
    return curves;
}

/// A model's part in the study, as plan.json records it (docs/REPRODUCTION.md).
struct PlannedRole {
    QString role;  ///< natural, adversarial, smoothed, ablation
    double epsilon = 0.0;
};

/// plan.json → model name → role. Throws InputError naming the file.
QMap<QString, PlannedRole> readRoles(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw sw::InputError(path.toStdString(), "cannot be read (is this a reproduction folder?)");
    const auto plan = QJsonDocument::fromJson(file.readAll()).object();
    if (!plan.contains("models")) throw sw::InputError(path.toStdString(), "not a reproduction plan (no models)");
    QMap<QString, PlannedRole> roles;
    for (const auto& value : plan["models"].toArray()) {
        const auto model = value.toObject();
        roles[model["name"].toString()] = {model["role"].toString(), model["epsilon"].toDouble()};
    }
    return roles;
}

/// The plain adversarial model at the smoothed model's ε: the smoothing block's baseline.
QString adversarialBesideSmoothed(const QMap<QString, PlannedRole>& roles) {
    for (auto smoothed = roles.cbegin(); smoothed != roles.cend(); ++smoothed) {
        if (smoothed->role != "smoothed") continue;
        for (auto model = roles.cbegin(); model != roles.cend(); ++model) {
            if (model->role == "adversarial" && std::abs(model->epsilon - smoothed->epsilon) < 1e-9) return model.key();
        }
    }
    return {};
}

QString modelWithRole(const QMap<QString, PlannedRole>& roles, const QString& role) {
    for (auto model = roles.cbegin(); model != roles.cend(); ++model) {
        if (model->role == role) return model.key();
    }
    return {};
}

}  // namespace

std::string renderReportFigures(const std::string& folderPath, const std::vector<int64_t>& imageIndices, int64_t igSteps) {
    const auto application = ensureApplication();
    const QDir folder(QString::fromStdString(folderPath));
    const QDir figures(folder.filePath("figures"));
    QDir().mkpath(figures.path());
    QJsonArray index;
    auto record = [&](const QString& file, const QString& caption) { index.append(QJsonObject{{"file", file}, {"caption", caption}}); };

    QStringList modelOrder;
    QMap<QString, QMap<QString, QVector<CurvePoint>>> curves;
    QMap<QString, PlannedRole> roles;
    try {
        curves = readCurves(folder.filePath("curves.csv"), &modelOrder);
        roles = readRoles(folder.filePath("plan.json"));
    } catch (const std::exception& error) {
        return error.what();
    }
    const auto hasSmoothing = [&](const QString& model) {
        return roles.value(model).role == "smoothed" || roles.value(model).role == "ablation";
    };
    const QString natural = modelWithRole(roles, "natural");
    const QString smoothingBaseline = adversarialBesideSmoothed(roles);
    for (auto method = curves.cbegin(); method != curves.cend(); ++method) {
        // Two plots per method, so that neither carries nine lines: natural against each ε, and the smoothing
        // blocks against the plain adversarial model at their ε.
        for (const bool smoothingPlot : {false, true}) {
            StabilityPlot plot;
            plot.resize(760, 440);
            plot.reset(QObject::tr("SSIM(clean map, noisy map), %1").arg(method.key().toUpper()), false);
            int series = 0;
            for (const auto& model : modelOrder) {
                const bool wanted =
                    smoothingPlot ? (hasSmoothing(model) || model == smoothingBaseline || model == natural) : !hasSmoothing(model);
                if (!wanted || !method->contains(model)) continue;
                for (const auto& point : (*method)[model]) plot.addPoint(model, point.sigma, point.mean, point.low, point.high);
                ++series;
            }
            if (series == 0) continue;
            plot.show();
            plot.flush();
            const QString stem = QString("ssim_%1_%2").arg(method.key(), smoothingPlot ? "smoothing" : "epsilon");
            for (const QString suffix : {".png", ".svg"}) {
                const QString problem = savePlotFigure(plot.plot(), figures.filePath(stem + suffix));
                if (!problem.isEmpty()) return problem.toStdString();
            }
            record(
                stem + ".png",
                smoothingPlot
                    ? QObject::tr("SSIM stability curves with %1: smoothing blocks against plain adversarial training and the natural "
                                  "model (mean, 95 % band)")
                          .arg(method.key().toUpper())
                    : QObject::tr("SSIM stability curves with %1: the natural model and adversarial training at each ε (mean, 95 % band)")
                          .arg(method.key().toUpper()));
        }
    }

    // Overlay grids: natural, adversarial at the smoothed ε, and the Gaussian model; VG and IG.
    Workspace workspace;
    if (const auto problem = workspace.load(folder.path()); !problem.isEmpty()) return problem.toStdString();
    QMap<QString, QString> pathOf;  // model name → file
    for (const auto& entry : workspace.models()) pathOf[entry.displayName()] = entry.path;
    QStringList chosen;
    for (const auto& name : {natural, smoothingBaseline, modelWithRole(roles, "smoothed")}) {
        if (!name.isEmpty() && pathOf.contains(name)) chosen << pathOf[name];
    }
    if (!chosen.isEmpty()) {
        sw::CompareSession session;
        for (const int64_t imageIndex : imageIndices) {
            for (const double sigma : {0.0, 0.1}) {
                sw::CompareRequest request;
                QStringList names, badges;
                for (const auto& path : chosen) {
                    request.models.push_back(sw::ModelReference{path.toStdString(), {}, {}});
                    names << QFileInfo(path).completeBaseName();
                    badges << QString();
                }
                for (const char* method : {"vg", "ig"}) {
                    sw::SaliencyConfig config;
                    config.method = method;
                    config.igSteps = igSteps;
                    request.methods.push_back(config);
                }
                request.datasetSpec = workspace.datasetSpec().toStdString();
                request.index = imageIndex;
                request.noiseSigma = sigma;
                request.noiseSeed = quint64(imageIndex) + 1;
                OverlayGrid grid;
                GridStyle style;
                style.heatmap.clipPercentile = 99.5;  // as the workbench shows maps by default
                grid.setStyle(style);
                grid.setLayoutOf(names, badges, {"VG", "IG"});
                sw::Feedback feedback;
                const auto result = session.compare(
                    request, feedback,
                    [&](const sw::CompareImage& image) {
                        QString caption = QString::fromStdString(image.source);
                        if (sigma > 0) caption += QObject::tr("  + noise σ = %1").arg(sigma);
                        grid.setImage(image.pixels, image.label, caption);
                    },
                    [&](const sw::CompareCell& cell) {
                        grid.setCell(int(cell.modelIndex), int(cell.methodIndex), GridCellData::from(cell));
                    });
                if (result.outcome != sw::Outcome::Completed) break;  // e.g. fewer test images than asked for
                grid.resize(900, 300 + 200 * chosen.size());
                grid.show();
                QCoreApplication::processEvents();  // lay the grid out before drawing it (batch code, not a slot)
                grid.figureWidget()->resize(grid.figureWidget()->sizeHint());  // no blank space below the cells
                const QString stem = sigma > 0 ? QString("overlays_%1_noise").arg(imageIndex) : QString("overlays_%1").arg(imageIndex);
                const QString problem = saveWidgetFigure(grid.figureWidget(), figures.filePath(stem + ".png"));
                if (!problem.isEmpty()) return problem.toStdString();
                record(stem + ".png",
                       sigma > 0 ? QObject::tr("Test image %1 with noise σ = 0.1: the same maps recomputed").arg(imageIndex)
                                 : QObject::tr("Test image %1: VG and IG maps (each scaled to its 99.5th percentile)").arg(imageIndex));
            }
        }
    }

    QSaveFile indexFile(figures.filePath("figures.json"));
    if (!indexFile.open(QIODevice::WriteOnly)) return (figures.filePath("figures.json") + ": cannot be written").toStdString();
    indexFile.write(QJsonDocument(index).toJson());
    if (!indexFile.commit()) return (figures.filePath("figures.json") + ": cannot be written").toStdString();
    return {};
}

}  // namespace sw::ui
