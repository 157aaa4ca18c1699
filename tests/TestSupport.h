#pragma once

// Small helpers shared by the core tests. Torch headers come before Qt's (Qt's `slots` macro breaks ATen's headers; docs/ARCHITECTURE.md).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <zlib.h>

#include <QtTest/QtTest>

namespace sw::test {

inline void writeBytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline void writeGzip(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    gzFile file = gzopen(path.string().c_str(), "wb");
    gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(file);
}

inline void appendBigEndian32(std::vector<uint8_t>& bytes, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(value >> shift));
}

/// An IDX image file of `count` rows×cols images whose pixel (i, p) = (i * 7 + p) % 256.
inline std::vector<uint8_t> makeIdxImages(uint32_t count, uint32_t rows, uint32_t cols) {
    std::vector<uint8_t> bytes = {0, 0, 0x08, 3};
    appendBigEndian32(bytes, count);
    appendBigEndian32(bytes, rows);
    appendBigEndian32(bytes, cols);
    for (uint32_t i = 0; i < count; ++i) {
        for (uint32_t p = 0; p < rows * cols; ++p) bytes.push_back(static_cast<uint8_t>((i * 7 + p) % 256));
    }
    return bytes;
}

/// An IDX label file whose label i = i % classCount.
inline std::vector<uint8_t> makeIdxLabels(uint32_t count, uint32_t classCount = 10) {
    std::vector<uint8_t> bytes = {0, 0, 0x08, 1};
    appendBigEndian32(bytes, count);
    for (uint32_t i = 0; i < count; ++i) bytes.push_back(static_cast<uint8_t>(i % classCount));
    return bytes;
}

/// A CIFAR-10 binary batch of `count` records; record i has label i % 10 and pixels (i + p) % 256.
inline std::vector<uint8_t> makeCifarBatch(uint32_t count) {
    std::vector<uint8_t> bytes;
    for (uint32_t i = 0; i < count; ++i) {
        bytes.push_back(static_cast<uint8_t>(i % 10));
        for (uint32_t p = 0; p < 3072; ++p) bytes.push_back(static_cast<uint8_t>((i + p) % 256));
    }
    return bytes;
}

/// Runs `action`, which must throw an exception whose message contains every one of `fragments`.
template <typename Action>
void expectErrorMentioning(Action&& action, const std::vector<std::string>& fragments) {
    try {
        action();
    } catch (const std::exception& error) {
        const std::string message = error.what();
        for (const auto& fragment : fragments) {
            if (message.find(fragment) == std::string::npos) {
                QFAIL(("message '" + message + "' does not mention '" + fragment + "'").c_str());
            }
        }
        return;
    }
    QFAIL("expected an error, but the call succeeded");
}

}  // namespace sw::test
