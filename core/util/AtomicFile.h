#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace sw {

/// Writes `target` all-or-nothing: `writer` fills a temporary file in the same folder, which is then
/// renamed over `target`. If `writer` throws, the temporary file is removed and `target` is untouched.
void writeFileAtomically(const std::filesystem::path& target,
                         const std::function<void(const std::filesystem::path& temporaryPath)>& writer);

/// Convenience for text and small binary payloads.
void writeTextFileAtomically(const std::filesystem::path& target, const std::string& contents);

/// Writes the files of a folder all-or-nothing: `writer` fills a temporary sibling folder; only when it
/// returns do the files move into `target` (renamed as a whole when `target` does not exist yet; otherwise
/// file by file, replacing same-named files and keeping the others). If `writer` throws, the temporary
/// folder is removed and `target` is untouched.
void writeFolderAtomically(const std::filesystem::path& target,
                           const std::function<void(const std::filesystem::path& temporaryFolder)>& writer);

}  // namespace sw
