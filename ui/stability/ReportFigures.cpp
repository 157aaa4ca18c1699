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
#include <QSet>
#include <QVBoxLayout>

#include <cmath>
#include <functional>
#include <memory>

#include "widgets/OffscreenApplication.h"
#include "widgets/FigureExport.h"
#include "compare/MethodPicker.h"
#include "compare/OverlayGrid.h"
#include "qcustomplot.h"
#include "stability/StabilityPlot.h"
#include "shell/Workspace.h"
#include "io/CurvesCsv.h"
#include "explain/SaliencyMethods.h"
#include "reproduce/ReproductionFolder.h"
#include "reproduce/SeedReport.h"
#include "jobs/CompareSession.h"
#include "jobs/TimelineRun.h"
#include "io/TrainLogCsv.h"
#include "timeline/TimelineMeasurePlot.h"
#include "util/InputError.h"

namespace sw::ui {

namespace {

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

QString pathOf(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

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

/// plan.json → the methods the evaluations used, in the plan's order. Throws InputError naming the file.
QStringList readPlannedMethods(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw sw::InputError(path.toStdString(), "cannot be read (is this a reproduction folder?)");
    QStringList methods;
    for (const auto& value : QJsonDocument::fromJson(file.readAll()).object()["methods"].toArray()) methods << value.toString();
    if (methods.isEmpty()) throw sw::InputError(path.toStdString(), "not a reproduction plan (no methods)");
    return methods;
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

using Curves = QMap<QString, QMap<QString, QVector<CurvePoint>>>;  ///< method → model → points
using Record = std::function<void(const QString& file, const QString& caption)>;

/// Two SSIM plots per method, so that neither carries nine lines: natural against each ε, and the smoothing
/// blocks against the plain adversarial model at their ε. `band` says what the band is. Returns a problem or "".
QString drawSsimCurves(const Curves& curves, const QStringList& modelOrder, const QMap<QString, PlannedRole>& roles, const QDir& figures,
                       const Record& record, const QString& band) {
    const auto hasSmoothing = [&](const QString& model) {
        return roles.value(model).role == "smoothed" || roles.value(model).role == "ablation";
    };
    const QString natural = modelWithRole(roles, "natural");
    const QString smoothingBaseline = adversarialBesideSmoothed(roles);
    for (auto method = curves.cbegin(); method != curves.cend(); ++method) {
        for (const bool smoothingPlot : {false, true}) {
            StabilityPlot plot;
            plot.resize(760, 440);
            plot.reset(QObject::tr("SSIM(clean map, noisy map), %1").arg(methodDisplayName(method.key())), false);
            int series = 0;
            for (const auto& model : modelOrder) {
                const bool wanted =
                    smoothingPlot ? (hasSmoothing(model) || model == smoothingBaseline || model == natural) : !hasSmoothing(model);
                if (!wanted || !method->contains(model)) continue;
                for (const auto& point : (*method)[model]) plot.addPoint(model, point.sigma, point.mean, point.low, point.high);
                ++series;
            }
            // A smoothing plot of the natural model alone (no smoothed model in the plan) says nothing new.
            if (series == 0 || (smoothingPlot && series < 2)) continue;
            plot.show();
            plot.flush();
            const QString stem = QString("ssim_%1_%2").arg(method.key(), smoothingPlot ? "smoothing" : "epsilon");
            for (const QString suffix : {".png", ".svg"}) {
                const QString problem = savePlotFigure(plot.plot(), figures.filePath(stem + suffix));
                if (!problem.isEmpty()) return problem;
            }
            record(stem + ".png",
                   smoothingPlot ? QObject::tr("SSIM stability curves with %1: smoothing blocks against plain adversarial training and the "
                                               "natural model (%2)")
                                       .arg(method.key().toUpper(), band)
                                 : QObject::tr("SSIM stability curves with %1: the natural model and adversarial training at each ε (%2)")
                                       .arg(method.key().toUpper(), band));
        }
    }
    return {};
}

/// A seed study's curves.csv pooled across seeds (SeedReport.h), in the shape drawSsimCurves takes.
Curves curvesAcrossSeeds(const QString& path, QStringList* modelOrder, int* seedCount) {
    const auto perSeed = sw::readCurvesCsv(path.toStdString());
    QSet<QString> seeds;
    for (const auto& row : perSeed) seeds.insert(QString::fromStdString(row.model).section('/', 0, 0));
    *seedCount = int(seeds.size());
    Curves curves;
    for (const auto& row : sw::curvesAcrossSeeds(perSeed)) {
        const QString model = QString::fromStdString(row.model);
        if (!modelOrder->contains(model)) modelOrder->append(model);
        curves[QString::fromStdString(row.method)][model].push_back({row.noiseSigma, row.mean, row.ciLow, row.ciHigh});
    }
    return curves;
}

/// One forest plot per claim from claims.json: per comparison, each seed's difference in the claimed direction
/// (dots) and the mean with its 95 % t-interval (bar); right of the dashed line (0, or −tolerance) holds.
QString drawForestPlots(const QDir& folder, const QDir& figures, const Record& record) {
    QFile file(pathOf(sw::ReproductionFolder(folder.path().toStdString()).claimsFile()));
    if (!file.open(QIODevice::ReadOnly)) return file.fileName() + ": cannot be read";
    const auto document = QJsonDocument::fromJson(file.readAll()).object();
    const int seedCount = document["seeds"].toArray().size();
    for (const auto& claimValue : document["claims"].toArray()) {
        const auto claim = claimValue.toObject();
        const auto comparisons = claim["comparisons"].toArray();
        if (comparisons.isEmpty()) continue;
        QCustomPlot plot;
        plot.resize(900, 130 + 34 * int(comparisons.size()));
        auto* seedsGraph = plot.addGraph(plot.yAxis, plot.xAxis);  // key = row, value = difference
        seedsGraph->setLineStyle(QCPGraph::lsNone);
        seedsGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(120, 120, 120), 5));
        seedsGraph->setName(QObject::tr("one seed"));
        auto* meanGraph = plot.addGraph(plot.yAxis, plot.xAxis);
        meanGraph->setLineStyle(QCPGraph::lsNone);
        meanGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QColor(31, 119, 180), QColor(31, 119, 180), 9));
        meanGraph->setName(QObject::tr("mean over %1 seeds, 95 % t-interval").arg(seedCount));
        auto* intervals = new QCPErrorBars(plot.yAxis, plot.xAxis);
        intervals->setDataPlottable(meanGraph);
        intervals->setErrorType(QCPErrorBars::etValueError);
        intervals->setPen(QPen(QColor(31, 119, 180), 2));
        intervals->removeFromLegend();
        QSharedPointer<QCPAxisTickerText> labels(new QCPAxisTickerText);
        double lowest = 0.0, highest = 0.0;
        for (int row = 0; row < comparisons.size(); ++row) {
            const auto comparison = comparisons[row].toObject();
            const double direction = comparison["direction"].toDouble(1.0);
            const double y = row;  // ascending keys keep the error bars aligned with their points; the axis is reversed
            for (const auto& perSeed : comparison["per_seed"].toArray()) {
                const auto difference = perSeed.toObject()["difference"];
                if (!difference.isDouble()) continue;
                seedsGraph->addData(y, direction * difference.toDouble());
                lowest = std::min(lowest, direction * difference.toDouble());
                highest = std::max(highest, direction * difference.toDouble());
            }
            const auto ci = comparison["ci95"].toArray();
            if (comparison["mean"].isDouble()) {
                const double mean = direction * comparison["mean"].toDouble();
                meanGraph->addData(y, mean);
                const bool haveInterval = ci.size() == 2 && ci[0].isDouble() && ci[1].isDouble();
                const double low = haveInterval ? std::min(direction * ci[0].toDouble(), direction * ci[1].toDouble()) : mean;
                const double high = haveInterval ? std::max(direction * ci[0].toDouble(), direction * ci[1].toDouble()) : mean;
                intervals->addData(mean - low, high - mean);
                lowest = std::min(lowest, low);
                highest = std::max(highest, high);
            }
            labels->addTick(y, comparison["pair"].toString() + ": " + comparison["measure"].toString() + "  [" +
                                   comparison["verdict"].toString() + "]");
        }
        plot.yAxis->setTicker(labels);
        plot.yAxis->setRange(-0.7, comparisons.size() - 0.3);
        plot.yAxis->setRangeReversed(true);  // the first comparison on top
        const double pad = 0.08 * std::max(1e-9, highest - lowest);
        plot.xAxis->setRange(lowest - pad, highest + pad);
        plot.xAxis->setLabel(QObject::tr("a − b in the claimed direction (each row in its own measure's units)"));
        auto* zero = new QCPItemStraightLine(&plot);
        zero->point1->setCoords(0, -1);
        zero->point2->setCoords(0, 1);
        zero->setPen(QPen(Qt::black, 1, Qt::DashLine));
        // The legend goes below the axes, where it cannot cover a row.
        plot.legend->setVisible(true);
        plot.legend->setFillOrder(QCPLegend::foColumnsFirst);
        plot.plotLayout()->addElement(1, 0, plot.legend);
        plot.plotLayout()->setRowStretchFactor(1, 0.001);
        plot.plotLayout()->insertRow(0);
        plot.plotLayout()->addElement(
            0, 0, new QCPTextElement(&plot, QObject::tr("Claim %1: %2").arg(claim["claim"].toString(), claim["verdict"].toString())));
        plot.replot();
        const QString stem = QString("forest_claim%1").arg(claim["claim"].toString());
        for (const QString suffix : {".png", ".svg"}) {
            const QString problem = savePlotFigure(&plot, figures.filePath(stem + suffix));
            if (!problem.isEmpty()) return problem;
        }
        record(stem + ".png",
               QObject::tr("Claim %1 across %2 seeds: each comparison's difference per seed (dots) and its mean with the 95 % "
                           "Student-t interval (bar), signed so that right of the dashed line is the claimed direction")
                   .arg(claim["claim"].toString())
                   .arg(seedCount));
    }
    return {};
}

/// The figures of a seed study folder (study.json): SSIM curves with a band across seeds, forest plots of the claims.
std::string renderSeedStudyFigures(const QDir& folder, const QDir& figures, const Record& record) {
    const sw::ReproductionFolder study(folder.path().toStdString());
    QStringList modelOrder;
    Curves curves;
    QMap<QString, PlannedRole> roles;
    int seedCount = 0;
    try {
        curves = curvesAcrossSeeds(pathOf(study.curvesCsv()), &modelOrder, &seedCount);
        roles = readRoles(pathOf(sw::ReproductionFolder(study.root() / study.seedFolderNames().front()).planFile()));
    } catch (const std::exception& error) {
        return error.what();
    }
    const QString band = QObject::tr("mean over %1 seeds with its 95 % Student-t band across seeds").arg(seedCount);
    if (const auto problem = drawSsimCurves(curves, modelOrder, roles, figures, record, band); !problem.isEmpty())
        return problem.toStdString();
    if (const auto problem = drawForestPlots(folder, figures, record); !problem.isEmpty()) return problem.toStdString();
    return {};
}

/// A model of the study as a file, and whether it trained on adversarial examples.
struct TrainedModel {
    QString file;
    bool adversarial = false;
};

/// The core models' saliency timelines (reproduce --timeline), one figure per recorded method: Gini, RIS and
/// accuracy over training steps. It answers when the maps become sparse: early, or only as robustness comes.
/// Robust accuracy is not recorded per snapshot; the accuracy on the PGD examples an adversarial model trained on
/// (its training log) stands in for it, dashed. Models without a timeline are left out; none, no figure.
QString drawTimelineFigures(const QVector<TrainedModel>& coreModels, const QDir& figures, const Record& record) {
    std::vector<sw::TimelineRun> runs;
    std::vector<std::vector<sw::TrainProgress>> logs;
    for (const auto& [file, adversarial] : coreModels) {
        const auto folder = sw::TimelineFolder::besideModel(file.toStdString());
        if (!folder.hasIndex()) continue;
        sw::TimelineRun run;
        run.name = folder.runName();
        run.folder = folder.root().string();
        try {
            run.index = folder.readIndex();
            logs.push_back(adversarial ? sw::readTrainLogCsv(file.toStdString() + ".train.csv") : std::vector<sw::TrainProgress>{});
        } catch (const std::exception& error) {
            return QString::fromUtf8(error.what());
        }
        runs.push_back(std::move(run));
    }
    if (runs.empty()) return {};
    QStringList names;
    for (const auto& run : runs) names << QString::fromStdString(run.name);
    for (const auto& method : sw::commonTimelineMethods(runs)) {
        QWidget figure;
        figure.setAutoFillBackground(true);
        figure.setPalette(QPalette(Qt::white));
        auto* layout = new QVBoxLayout(&figure);
        for (const QString measure : {"gini", "ris", "accuracy"}) {
            auto* plot = new TimelineMeasurePlot;
            plot->setMinimumHeight(240);
            plot->showMeasure(runs, method, measure);
            for (size_t r = 0; measure == "accuracy" && r < runs.size(); ++r) {
                QVector<double> steps, accuracy;
                for (const auto& row : logs[r]) steps << double(row.step), accuracy << row.accuracy;
                if (!steps.isEmpty())
                    plot->addReference(QObject::tr("%1, on its PGD examples (training log)").arg(names[int(r)]), steps, accuracy, int(r));
            }
            layout->addWidget(plot);
        }
        figure.resize(760, 780);
        figure.show();
        QCoreApplication::processEvents();  // lay the plots out before drawing them (batch code, not a slot)
        const QString stem = QString("timeline_%1").arg(QString::fromStdString(method));
        if (const QString problem = saveWidgetFigure(&figure, figures.filePath(stem + ".png")); !problem.isEmpty()) return problem;
        record(stem + ".png", QObject::tr("Over training, with %1: Sparseness (Gini), RIS and held-out accuracy of %2 on the timeline's %3 "
                                          "probe images, at the recorded steps (log scale). Dashed: the accuracy on the PGD examples each "
                                          "adversarial model trained on, from its training log, as a stand-in for robust accuracy, which "
                                          "the timeline does not record")
                                  .arg(methodDisplayName(QString::fromStdString(method)), names.join(", "))
                                  .arg(runs.front().index.probeIndices.size()));
    }
    return {};
}

QString writeFigureIndex(const sw::ReproductionFolder& folder, const QJsonArray& index) {
    QSaveFile indexFile(pathOf(folder.figureIndex()));
    if (!indexFile.open(QIODevice::WriteOnly)) return indexFile.fileName() + ": cannot be written";
    indexFile.write(QJsonDocument(index).toJson());
    if (!indexFile.commit()) return indexFile.fileName() + ": cannot be written";
    return {};
}

}  // namespace

std::string renderReportFigures(const std::string& folderPath, const std::vector<int64_t>& imageIndices, int64_t igSteps) {
    const auto application = ensureOffscreenApplication();
    const QDir folder(QString::fromStdString(folderPath));
    const sw::ReproductionFolder reproduction(folderPath);
    const QDir figures(pathOf(reproduction.figuresFolder()));
    QDir().mkpath(figures.path());
    QJsonArray index;
    const Record record = [&](const QString& file, const QString& caption) {
        index.append(QJsonObject{{"file", file}, {"caption", caption}});
    };
    if (reproduction.isSeedStudy()) {
        if (const auto problem = renderSeedStudyFigures(folder, figures, record); !problem.empty()) return problem;
        return writeFigureIndex(reproduction, index).toStdString();
    }

    QStringList modelOrder;
    Curves curves;
    QMap<QString, PlannedRole> roles;
    QStringList methods;
    try {
        curves = readCurves(pathOf(reproduction.curvesCsv()), &modelOrder);
        roles = readRoles(pathOf(reproduction.planFile()));
        methods = readPlannedMethods(pathOf(reproduction.planFile()));
    } catch (const std::exception& error) {
        return error.what();
    }
    if (const auto problem = drawSsimCurves(curves, modelOrder, roles, figures, record, QObject::tr("mean, 95 % band"));
        !problem.isEmpty()) {
        return problem.toStdString();
    }
    const QString natural = modelWithRole(roles, "natural");
    const QString smoothingBaseline = adversarialBesideSmoothed(roles);

    // Overlay grids: natural, adversarial at the smoothed ε, and the Gaussian model; the plan's methods.
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
                QStringList methodNames;
                for (const auto& method : methods) {
                    sw::SaliencyConfig config;
                    config.method = method.toStdString();
                    config.igSteps = igSteps;
                    request.methods.push_back(config);
                    methodNames << methodDisplayName(method);
                }
                request.datasetSpec = workspace.datasetSpec().toStdString();
                request.index = imageIndex;
                request.noiseSigma = sigma;
                request.noiseSeed = quint64(imageIndex) + 1;
                OverlayGrid grid;
                GridStyle style;
                style.heatmap.clipPercentile = 99.5;  // as the workbench shows maps by default
                grid.setStyle(style);
                grid.setLayoutOf(names, badges, methodNames);
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
                record(stem + ".png", sigma > 0 ? QObject::tr("Test image %1 with noise σ = 0.1: the same maps recomputed").arg(imageIndex)
                                                : QObject::tr("Test image %1: %2 maps (each scaled to its 99.5th percentile)")
                                                      .arg(imageIndex)
                                                      .arg(methodNames.join(QObject::tr(" and "))));
            }
        }
    }

    QVector<TrainedModel> coreModels;
    for (const auto& name : {natural, smoothingBaseline, modelWithRole(roles, "smoothed")}) {
        if (!name.isEmpty() && pathOf.contains(name)) coreModels.push_back({pathOf[name], roles.value(name).role != "natural"});
    }
    if (const auto problem = drawTimelineFigures(coreModels, figures, record); !problem.isEmpty()) return problem.toStdString();
    return writeFigureIndex(reproduction, index).toStdString();
}

}  // namespace sw::ui
