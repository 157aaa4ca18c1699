#include "util/AtomicFile.h"

#include <atomic>
#include <fstream>
#include <random>

#include <unistd.h>

#include "util/InputError.h"

namespace sw {

namespace {

std::filesystem::path temporarySibling(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    std::random_device entropy;
    const auto suffix = ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(entropy() % 100000);
    return target.parent_path() / (target.filename().string() + suffix);
}

}  // namespace

void writeFileAtomically(const std::filesystem::path& target, const std::function<void(const std::filesystem::path&)>& writer) {
    const auto folder = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
        throw InputError(folder.string(), "cannot create folder (" + error.message() + ")");
    }
    const auto temporary = temporarySibling(target);
    try {
        writer(temporary);
        std::filesystem::rename(temporary, target);
    } catch (...) {
        std::filesystem::remove(temporary, error);
        throw;
    }
}

void writeFolderAtomically(const std::filesystem::path& target, const std::function<void(const std::filesystem::path&)>& writer) {
    namespace fs = std::filesystem;
    const auto normalized = target.has_filename() ? target : target.parent_path();
    const auto parent = normalized.has_parent_path() ? normalized.parent_path() : fs::path(".");
    std::error_code error;
    fs::create_directories(parent, error);
    if (error) throw InputError(parent.string(), "cannot create folder (" + error.message() + ")");
    const auto temporary = temporarySibling(normalized);
    try {
        fs::create_directory(temporary);
        writer(temporary);
        if (!fs::exists(normalized)) {
            fs::rename(temporary, normalized);
            return;
        }
        if (!fs::is_directory(normalized)) throw InputError(normalized.string(), "exists and is not a folder");
        for (const auto& entry : fs::directory_iterator(temporary)) fs::rename(entry.path(), normalized / entry.path().filename());
        fs::remove(temporary);
    } catch (...) {
        fs::remove_all(temporary, error);
        throw;
    }
}

void writeTextFileAtomically(const std::filesystem::path& target, const std::string& contents) {
    writeFileAtomically(target, [&](const std::filesystem::path& temporary) {
        std::ofstream out(temporary, std::ios::binary);
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        out.close();
        if (!out) {
            throw InputError(target.string(), "cannot write file");
        }
    });
}

}  // namespace sw
