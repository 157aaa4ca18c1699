#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "study/StudyFolder.h"
#include "util/Sha256.h"

namespace sw::test {

/// Writes one stimulus picture: its path, its condition (1…K; 0 for the attention check) and its image.
using PictureWriter = std::function<void(const std::filesystem::path& file, int condition, int image)>;

/// A small study folder made on the fly in the layout `saliency-cli stimuli` writes (study/StudyFolder.h), without
/// a model: conditions c1…cK over `images` images, `orders` orders of K × images trials with an attention check
/// as the third trial, a key naming model-K.swm and VG for each code. `writePicture` makes the pictures (a few
/// bytes are all the folder's reader needs; the participant's screen needs real PNGs).
inline void makeStudyFolder(const std::filesystem::path& folder, int orders, int images, int conditions, int breakEvery,
                            const PictureWriter& writePicture) {
    namespace fs = std::filesystem;
    const fs::path bundle = folder / studyLayout::kBundleFolder, secret = folder / studyLayout::kPrivateFolder;
    fs::create_directories(bundle / studyLayout::kStimuliFolder);
    fs::create_directories(secret);
    nlohmann::json manifest = nlohmann::json::array();
    auto addFile = [&](const std::string& name, int condition, int image) {
        writePicture(bundle / name, condition, image);
        nlohmann::json entry = {{"file", name}, {"sha256", sw::sha256OfFile(bundle / name)}};
        if (condition == 0) entry["attention_check"] = true;
        manifest.push_back(entry);
    };
    auto stimulus = [](int image, int condition) {
        return std::string(studyLayout::kStimuliFolder) + "/img" + (image < 10 ? "0" : "") + std::to_string(image) + "_c" +
               std::to_string(condition) + ".png";
    };
    const std::string attention = std::string(studyLayout::kStimuliFolder) + "/attention.png";
    for (int image = 0; image < images; ++image) {
        for (int c = 1; c <= conditions; ++c) addFile(stimulus(image, c), c, image);
    }
    addFile(attention, 0, -1);
    std::ofstream(secret / studyLayout::kManifestFile) << manifest.dump(2);

    std::ofstream csv(folder / studyLayout::kOrdersFile);
    csv << "participant,trial,file,image,condition,attention_check\n";
    for (int order = 0; order < orders; ++order) {
        int trial = 0;
        for (int round = 0; round < conditions; ++round) {
            for (int image = 0; image < images; ++image) {
                if (trial == 2) csv << order << ',' << trial++ << ',' << attention << ",,,1\n";
                const int condition = (image + round + order) % conditions + 1;
                csv << order << ',' << trial++ << ',' << stimulus(image, condition) << ',' << image << ",c" << condition << ",0\n";
            }
        }
    }
    csv.close();
    nlohmann::json key = nlohmann::json::object();
    for (int c = 1; c <= conditions; ++c)
        key["c" + std::to_string(c)] = {{"model", "model-" + std::to_string(c) + ".swm"}, {"method", "vg"}};
    std::ofstream(secret / studyLayout::kKeyFile) << key.dump(2);
    auto settings = sw::defaultStudySettings();
    settings.breakEvery = breakEvery;
    sw::writeStudyFiles(folder.string(), settings);
}

}  // namespace sw::test
