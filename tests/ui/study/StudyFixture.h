#pragma once

#include <QColor>
#include <QImage>
#include <QString>

#include "core/study/StudyFolderFixture.h"

namespace sw::ui::test {

/// The shared study fixture (tests/core/study/StudyFolderFixture.h) with real PNGs — a checkerboard in the
/// condition's colour, grey for the attention check — so the participant's screen can show them.
inline void makeStudyFolder(const QString& folder, int orders = 3, int images = 2, int conditions = 3, int breakEvery = 0) {
    sw::test::makeStudyFolder(folder.toStdString(), orders, images, conditions, breakEvery,
                              [](const std::filesystem::path& file, int condition, int image) {
                                  QImage picture(56, 56, QImage::Format_RGB32);
                                  picture.fill(condition == 0 ? QColor(Qt::gray) : QColor(40 * condition, 30 * image, 90));
                                  // A checkerboard: any blur on screen would mix in new colours.
                                  for (int y = 0; y < picture.height(); ++y)
                                      for (int x = 0; x < picture.width(); ++x)
                                          if ((x / 4 + y / 4) % 2) picture.setPixel(x, y, qRgb(0, 0, 0));
                                  picture.save(QString::fromStdString(file.string()));
                              });
}

}  // namespace sw::ui::test
