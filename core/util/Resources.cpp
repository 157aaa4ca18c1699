#include "util/Resources.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace sw {

namespace {

fs::path executableFolder() {
    std::error_code error;
    const auto self = fs::read_symlink("/proc/self/exe", error);
    return error ? fs::path() : self.parent_path();
}

}  // namespace

std::string findResource(const std::string& entry) {
    std::vector<fs::path> candidates;
    if (const char* configured = std::getenv("SW_RESOURCES_DIR"); configured != nullptr && *configured != '\0') {
        candidates.emplace_back(configured);
    }
    const auto here = executableFolder();
    if (!here.empty()) candidates.push_back(here.parent_path() / "share" / "saliency-workbench");
#ifdef SW_SOURCE_DIR
    candidates.push_back(fs::path(SW_SOURCE_DIR) / "resources");
#endif
    for (const auto& folder : candidates) {
        std::error_code error;
        if (fs::exists(folder / entry, error)) return (folder / entry).lexically_normal().string();
    }
    return {};
}

std::string findHelperProgram(const std::string& name) {
    const auto here = executableFolder();
    if (here.empty()) return {};
    for (const auto& candidate : {here / name, here.parent_path() / "libexec" / "saliency-workbench" / name}) {
        std::error_code error;
        if (fs::is_regular_file(candidate, error)) return candidate.lexically_normal().string();
    }
    return {};
}

}  // namespace sw
