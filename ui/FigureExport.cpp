#include "FigureExport.h"

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

namespace sw::ui {

namespace {

/// Runs `write` against a temporary file next to `path` and renames it into place on success.
QString writeAtomically(const QString& path, const std::function<bool(const QString& temporaryPath)>& write) {
    const QString temporary = path + ".part";
    QFile::remove(temporary);
    if (!write(temporary)) {
        QFile::remove(temporary);
        return path + ": could not be written";
    }
    QFile::remove(path);
    if (!QFile::rename(temporary, path)) {
        QFile::remove(temporary);
        return path + ": could not be written (rename failed)";
    }
    return {};
}

QString suffixOf(const QString& path) { return QFileInfo(path).suffix().toLower(); }

bool paintToSvg(const QString& file, QSize size, const QString& title, const std::function<void(QPainter&)>& paint) {
    QSvgGenerator generator;
    generator.setFileName(file);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(title);
    QPainter painter;
    if (!painter.begin(&generator)) return false;
    paint(painter);
    return painter.end();
}

bool paintToPdf(const QString& file, QSize size, const std::function<void(QPainter&, double scale)>& paint) {
    QPdfWriter writer(file);
    writer.setResolution(96);
    writer.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&writer)) return false;
    const double scale = std::min(double(writer.width()) / size.width(), double(writer.height()) / size.height());
    paint(painter, scale);
    return painter.end();
}

}  // namespace

QString figureFileFilter() { return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"); }

QString saveWidgetFigure(QWidget* widget, const QString& path) {
    const QString suffix = suffixOf(path);
    const QSize size = widget->size();
    if (suffix == "png") {
        return writeAtomically(path, [&](const QString& file) {
            QImage image(size * 2, QImage::Format_ARGB32);
            image.setDevicePixelRatio(2.0);
            image.fill(widget->palette().color(QPalette::Window));
            QPainter painter(&image);
            widget->render(&painter);
            painter.end();
            return image.save(file, "PNG");
        });
    }
    if (suffix == "svg") {
        return writeAtomically(path, [&](const QString& file) {
            return paintToSvg(file, size, widget->windowTitle(), [&](QPainter& painter) { widget->render(&painter); });
        });
    }
    if (suffix == "pdf") {
        return writeAtomically(path, [&](const QString& file) {
            return paintToPdf(file, size, [&](QPainter& painter, double scale) {
                painter.scale(scale, scale);
                widget->render(&painter);
            });
        });
    }
    return path + ": unknown figure format (use .png, .svg or .pdf)";
}

QString savePlotFigure(QCustomPlot* plot, const QString& path) {
    const QString suffix = suffixOf(path);
    const int width = plot->width();
    const int height = plot->height();
    if (suffix == "png") {
        return writeAtomically(path, [&](const QString& file) { return plot->savePng(file, width, height, 2.0); });
    }
    if (suffix == "pdf") {
        return writeAtomically(path, [&](const QString& file) { return plot->savePdf(file, width, height); });
    }
    if (suffix == "svg") {
        return writeAtomically(path, [&](const QString& file) {
            QSvgGenerator generator;
            generator.setFileName(file);
            generator.setSize(QSize(width, height));
            generator.setViewBox(QRect(0, 0, width, height));
            QCPPainter painter;
            if (!painter.begin(&generator)) return false;
            plot->toPainter(&painter, width, height);
            return painter.end();
        });
    }
    return path + ": unknown figure format (use .png, .svg or .pdf)";
}

QString saveCsv(const QString& path, const QStringList& header, const QVector<QStringList>& rows) {
    auto quoted = [](const QString& field) {
        if (!field.contains(',') && !field.contains('"') && !field.contains('\n')) return field;
        QString escaped = field;
        escaped.replace("\"", "\"\"");
        return "\"" + escaped + "\"";
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return path + ": cannot be written (" + file.errorString() + ")";
    auto writeRow = [&](const QStringList& fields) {
        QStringList cells;
        for (const auto& field : fields) cells << quoted(field);
        file.write((cells.join(',') + "\n").toUtf8());
    };
    writeRow(header);
    for (const auto& row : rows) writeRow(row);
    if (!file.commit()) return path + ": cannot be written (" + file.errorString() + ")";
    return {};
}

}  // namespace sw::ui
