#pragma once

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QString>

#include <fstream>
#include <nlohmann/json.hpp>

#include "study/StudyFolder.h"
#include "util/Sha256.h"

namespace sw::ui::test {

/// A small study folder made on the fly, as `saliency-cli stimuli` lays it out (without a model): `conditions`
/// conditions c1…cK over `images` images, `orders` orders, an attention check as the third trial of every
/// order. Real PNGs (a checkerboard in the condition's colour), so the participant's screen can show them.
inline void makeStudyFolder(const QString& folder, int orders = 3, int images = 2, int conditions = 3, int breakEvery = 0) {
    QDir().mkpath(folder + "/stimuli");
    nlohmann::json manifest = nlohmann::json::array();
    auto addFile = [&](const QString& name, const QColor& colour, bool attention) {
        QImage picture(56, 56, QImage::Format_RGB32);
        picture.fill(colour);
        for (int y = 0; y < picture.height(); ++y)  // a checkerboard: any blur on screen would mix in new colours
            for (int x = 0; x < picture.width(); ++x)
                if ((x / 4 + y / 4) % 2) picture.setPixel(x, y, qRgb(0, 0, 0));
        picture.save(folder + "/" + name);
        manifest.push_back({{"file", name.toStdString()},
                            {"sha256", sw::sha256OfFile((folder + "/" + name).toStdString())},
                            {"attention_check", attention}});
    };
    for (int image = 0; image < images; ++image) {
        for (int c = 1; c <= conditions; ++c)
            addFile(QString("stimuli/img%1_c%2.png").arg(image, 2, 10, QChar('0')).arg(c), QColor(40 * c, 30 * image, 90), false);
    }
    addFile("stimuli/attention.png", Qt::gray, true);
    std::ofstream(QString(folder + "/manifest.json").toStdString()) << manifest.dump(2);

    std::ofstream csv(QString(folder + "/orders.csv").toStdString());
    csv << "participant,trial,file,image,condition,attention_check\n";
    for (int order = 0; order < orders; ++order) {
        int trial = 0;
        for (int round = 0; round < conditions; ++round) {
            for (int image = 0; image < images; ++image) {
                if (trial == 2) csv << order << ',' << trial++ << ",stimuli/attention.png,,,1\n";
                const int condition = (image + round + order) % conditions + 1;
                csv << order << ',' << trial++ << ",stimuli/img" << (image < 10 ? "0" : "") << image << "_c" << condition << ".png,"
                    << image << ",c" << condition << ",0\n";
            }
        }
    }
    csv.close();
    nlohmann::json key = nlohmann::json::object();
    for (int c = 1; c <= conditions; ++c)
        key["c" + std::to_string(c)] = {{"model", "model-" + std::to_string(c) + ".swm"}, {"method", "vg"}};
    std::ofstream(QString(folder + "/key.json").toStdString()) << key.dump(2);
    auto settings = sw::defaultStudySettings();
    settings.breakEvery = breakEvery;
    sw::writeStudyFiles(folder.toStdString(), settings);
}

}  // namespace sw::ui::test
