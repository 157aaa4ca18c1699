#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

class QCustomPlot;
class QImage;
class QWidget;

namespace sw::ui {

/// Every export is written to a temporary file and renamed, so a failure never leaves half a file.
/// Each returns an error message naming the file, or an empty string on success.

/// A widget drawn as a figure; the format follows the extension: .png, .svg or .pdf.
QString saveWidgetFigure(QWidget* widget, const QString& path);
/// A plot as .png, .svg or .pdf, at its on-screen size (PNG at twice the resolution).
QString savePlotFigure(QCustomPlot* plot, const QString& path);
/// An image as PNG.
QString saveImageFile(const QImage& image, const QString& path);
/// A table as CSV (RFC 4180 quoting).
QString saveCsv(const QString& path, const QStringList& header, const QVector<QStringList>& rows);
/// The file-dialog filter for figures.
QString figureFileFilter();

}  // namespace sw::ui
