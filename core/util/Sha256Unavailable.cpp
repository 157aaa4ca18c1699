#include "util/Sha256.h"

#include <stdexcept>

namespace sw {

// A build without OpenSSL (scripts/gpu-check.sh on a bare machine) cannot hash study files.
std::string sha256Hex(const std::string&) {
    throw std::runtime_error("this build has no OpenSSL, so it cannot compute SHA-256; build with it (scripts/install-deps.sh)");
}

std::string sha256OfFile(const std::filesystem::path&) { return sha256Hex({}); }

}  // namespace sw
