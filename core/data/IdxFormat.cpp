#include "data/IdxFormat.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "util/InputError.h"

namespace sw {

namespace {

constexpr uint8_t kUnsignedByteType = 0x08;

uint32_t readBigEndian32(const uint8_t* bytes) {
    return (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) | uint32_t(bytes[3]);
}

/// Validates the header and returns the dimensions; the file size must match them exactly.
std::vector<int64_t> readIdxHeader(const std::vector<uint8_t>& bytes, const std::string& source, uint8_t expectedDimensions) {
    if (bytes.size() < 4) {
        throw InputError(source, "expected an IDX header, found " + std::to_string(bytes.size()) + " bytes (truncated?)");
    }
    if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != kUnsignedByteType || bytes[3] != expectedDimensions) {
        char magic[16];
        std::snprintf(magic, sizeof magic, "0x%02X%02X%02X%02X", bytes[0], bytes[1], bytes[2], bytes[3]);
        char wanted[16];
        std::snprintf(wanted, sizeof wanted, "0x0000%02X%02X", kUnsignedByteType, expectedDimensions);
        throw InputError(source, std::string("bad magic number ") + magic + ", expected " + wanted +
                                     (expectedDimensions == 3 ? " (IDX images)" : " (IDX labels)"));
    }
    const size_t headerBytes = 4 + 4 * size_t(expectedDimensions);
    if (bytes.size() < headerBytes) {
        throw InputError(source, "expected a " + std::to_string(headerBytes) + "-byte header, found " + std::to_string(bytes.size()) +
                                     " bytes (truncated?)");
    }
    std::vector<int64_t> dimensions;
    uint64_t payload = 1;
    for (uint8_t d = 0; d < expectedDimensions; ++d) {
        const uint32_t dimension = readBigEndian32(bytes.data() + 4 + 4 * d);
        dimensions.push_back(dimension);
        constexpr uint64_t kLimit = uint64_t(1) << 40;
        if (dimension != 0 && payload > kLimit / dimension) {
            throw InputError(source, "header declares an implausible size (corrupt header?)");
        }
        payload *= dimension;
    }
    const uint64_t expected = headerBytes + payload;
    if (bytes.size() < expected) {
        throw InputError(source,
                         "expected " + std::to_string(expected) + " bytes, found " + std::to_string(bytes.size()) + " (truncated?)");
    }
    if (bytes.size() > expected) {
        throw InputError(source,
                         "expected " + std::to_string(expected) + " bytes, found " + std::to_string(bytes.size()) + " (trailing data?)");
    }
    return dimensions;
}

}  // namespace

std::vector<uint8_t> readPossiblyGzippedFile(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        throw InputError(source, "file not found");
    }
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(source.c_str(), "rb"), gzclose);
    if (!file) {
        throw InputError(source, "cannot open file");
    }
    std::vector<uint8_t> contents;
    std::vector<uint8_t> chunk(1 << 20);
    for (;;) {
        const int count = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
        if (count < 0) {
            int code = 0;
            const char* message = gzerror(file.get(), &code);
            throw InputError(source,
                             std::string("cannot decompress (") + (message ? message : "gzip error") + "; damaged or truncated .gz?)");
        }
        if (count == 0) {
            break;
        }
        contents.insert(contents.end(), chunk.begin(), chunk.begin() + count);
    }
    int code = 0;
    gzerror(file.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END) {
        throw InputError(source, "gzip stream ends early (truncated .gz?)");
    }
    return contents;
}

torch::Tensor parseIdxImages(const std::vector<uint8_t>& bytes, const std::string& source) {
    const auto dims = readIdxHeader(bytes, source, 3);
    if (dims[0] == 0 || dims[1] == 0 || dims[2] == 0) {
        throw InputError(source, "holds no images (a dimension is 0)");
    }
    const auto pixels = torch::empty({dims[0], 1, dims[1], dims[2]}, torch::kUInt8);
    std::memcpy(pixels.data_ptr<uint8_t>(), bytes.data() + 16, static_cast<size_t>(pixels.numel()));
    return pixels;
}

torch::Tensor parseIdxLabels(const std::vector<uint8_t>& bytes, const std::string& source, int64_t classCount) {
    const auto dims = readIdxHeader(bytes, source, 1);
    const auto labels = torch::empty({dims[0]}, torch::kInt64);
    auto* out = labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < dims[0]; ++i) {
        const uint8_t label = bytes[8 + static_cast<size_t>(i)];
        if (label >= classCount) {
            throw InputError(source, "label " + std::to_string(label) + " at index " + std::to_string(i) +
                                         " is out of range (expected 0.." + std::to_string(classCount - 1) + ")");
        }
        out[i] = label;
    }
    return labels;
}

}  // namespace sw
