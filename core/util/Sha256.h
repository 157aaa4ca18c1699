#pragma once

#include <filesystem>
#include <string>

namespace sw {

/// SHA-256 as 64 lowercase hex digits (OpenSSL's libcrypto): of bytes, or of a file's contents (throws
/// InputError naming the file when it cannot be read). Study manifests record it for every file they list.
std::string sha256Hex(const std::string& bytes);
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace sw
