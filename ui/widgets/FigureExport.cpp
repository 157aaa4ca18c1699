#include "widgets/FigureExport.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

#include <functional>

#include "qcustomplot.h"
#include "util/ListParsing.h"

namespace sw::ui {

namespace {

/// Writes through a QSaveFile: the old file stays until the new one is complete, and a failure leaves
/// nothing behind.
QString writeAtomically(const QString& path, const std::function<bool(QIODevice& device)>& write) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return path + ": cannot be written (" + file.errorString() + ")";
    if (!write(file)) {
        file.cancelWriting();
        return path + ": could not be written";
    }
    if (!file.commit()) return path + ": cannot be written (" + file.errorString() + ")";
    return {};
}

QString suffixOf(const QString& path) { return QFileInfo(path).suffix().toLower(); }

bool paintToSvg(QIODevice& device, QSize size, const QString& title, const std::function<void(QPainter&)>& paint) {
    QSvgGenerator generator;
    generator.setOutputDevice(&device);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(title);
    QPainter painter;
    if (!painter.begin(&generator)) return false;
    paint(painter);
    return painter.end();
}

bool paintToPdf(QIODevice& device, QSize size, const std::function<void(QPainter&, double scale)>& paint) {
    QPdfWriter writer(&device);
    writer.setResolution(96);
    writer.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&writer)) return false;
    const double scale = std::min(double(writer.width()) / size.width(), double(writer.height()) / size.height());
    paint(painter, scale);
    return painter.end();
}

const QString kUnknownFormat = QStringLiteral(": unknown figure format (use .png, .svg or .pdf)");

}  // namespace

QString figureFileFilter() { return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"); }

QString saveImageFile(const QImage& image, const QString& path) {
    return writeAtomically(path, [&](QIODevice& device) { return image.save(&device, "PNG"); });
}

QString saveWidgetFigure(QWidget* widget, const QString& path) {
    const QString suffix = suffixOf(path);
    const QSize size = widget->size();
    if (suffix == "png") {
        return writeAtomically(path, [&](QIODevice& device) {
            QImage image(size * 2, QImage::Format_ARGB32);
            image.setDevicePixelRatio(2.0);
            image.fill(widget->palette().color(QPalette::Window));
            QPainter painter(&image);
            widget->render(&painter);
            painter.end();
            return image.save(&device, "PNG");
        });
    }
    if (suffix == "svg") {
        return writeAtomically(path, [&](QIODevice& device) {
            return paintToSvg(device, size, widget->windowTitle(), [&](QPainter& painter) { widget->render(&painter); });
        });
    }
    if (suffix == "pdf") {
        return writeAtomically(path, [&](QIODevice& device) {
            return paintToPdf(device, size, [&](QPainter& painter, double scale) {
                painter.scale(scale, scale);
                widget->render(&painter);
            });
        });
    }
    return path + kUnknownFormat;
}

QString savePlotFigure(QCustomPlot* plot, const QString& path) {
    const QString suffix = suffixOf(path);
    const int width = plot->width();
    const int height = plot->height();
    if (suffix == "png") {
        return writeAtomically(path, [&](QIODevice& device) { return plot->toPixmap(width, height, 2.0).save(&device, "PNG"); });
    }
    if (suffix == "svg" || suffix == "pdf") {
        return writeAtomically(path, [&](QIODevice& device) {
            auto draw = [&](QPaintDevice* target) {
                QCPPainter painter;
                if (!painter.begin(target)) return false;
                plot->toPainter(&painter, width, height);
                return painter.end();
            };
            if (suffix == "pdf") {
                QPdfWriter writer(&device);
                writer.setResolution(96);
                writer.setPageSize(QPageSize(QSizeF(width * 72.0 / 96.0, height * 72.0 / 96.0), QPageSize::Point));
                writer.setPageMargins(QMarginsF(0, 0, 0, 0));
                return draw(&writer);
            }
            QSvgGenerator generator;
            generator.setOutputDevice(&device);
            generator.setSize(QSize(width, height));
            generator.setViewBox(QRect(0, 0, width, height));
            return draw(&generator);
        });
    }
    return path + kUnknownFormat;
}

QString saveCsv(const QString& path, const QStringList& header, const QVector<QStringList>& rows) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return path + ": cannot be written (" + file.errorString() + ")";
    auto writeRow = [&](const QStringList& fields) {
        QStringList cells;
        for (const auto& field : fields) cells << QString::fromStdString(sw::csvField(field.toStdString()));
        file.write((cells.join(',') + "\n").toUtf8());
    };
    writeRow(header);
    for (const auto& row : rows) writeRow(row);
    if (!file.commit()) return path + ": cannot be written (" + file.errorString() + ")";
    return {};
}

}  // namespace sw::ui
