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

}  // namespace sw
