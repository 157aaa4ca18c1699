#include "reproduce/ReproductionFolder.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

std::string ReproductionFolder::modelOfEvaluation(const fs::path& evaluation) {
    return evaluation.stem().stem().string();  // MODEL.METHOD.json → MODEL
}

std::vector<fs::path> ReproductionFolder::evaluationFiles() const {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(evaluationsFolder(), error)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool ReproductionFolder::isSeedStudy() const { return fs::exists(studyFile()); }

std::string ReproductionFolder::seedFolderName(uint64_t seed) { return "seed-" + std::to_string(seed); }

std::vector<std::string> ReproductionFolder::seedFolderNames() const {
    std::ifstream file(studyFile());
    if (!file) throw InputError(studyFile().string(), "cannot be read");
    std::vector<std::string> names;
    try {
        nlohmann::json study;
        file >> study;
        names = study.at("folders").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& error) {
        throw InputError(studyFile().string(), std::string("not a seed study (") + error.what() + ")");
    }
    if (names.empty()) throw InputError(studyFile().string(), "lists no seed folders");
    return names;
}

}  // namespace sw
