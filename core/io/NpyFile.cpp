#include "io/NpyFile.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace sw {

namespace {

constexpr char kMagic[] = "\x93NUMPY";

const char* descriptorFor(torch::ScalarType type) {
    switch (type) {
    case torch::kFloat32:
        return "<f4";
    case torch::kFloat64:
        return "<f8";
    case torch::kInt64:
        return "<i8";
    case torch::kInt32:
        return "<i4";
    case torch::kUInt8:
        return "|u1";
    default:
        return nullptr;
    }
}

torch::ScalarType typeFor(const std::string& descriptor, const std::string& source) {
    if (descriptor == "<f4") return torch::kFloat32;
    if (descriptor == "<f8") return torch::kFloat64;
    if (descriptor == "<i8") return torch::kInt64;
    if (descriptor == "<i4") return torch::kInt32;
    if (descriptor == "|u1" || descriptor == "<u1") return torch::kUInt8;
    throw InputError(source, "unsupported .npy dtype '" + descriptor + "'");
}

}  // namespace

void writeNpy(const std::filesystem::path& path, const torch::Tensor& tensor) {
    const auto data = tensor.detach().cpu().contiguous();
    const char* descriptor = descriptorFor(data.scalar_type());
    TORCH_CHECK(descriptor, "writeNpy: unsupported dtype ", data.scalar_type());
    std::ostringstream shape;
    shape << "(";
    for (int64_t d = 0; d < data.dim(); ++d) shape << data.size(d) << (data.dim() == 1 || d + 1 < data.dim() ? "," : "");
    shape << ")";
    std::string header = std::string("{'descr': '") + descriptor + "', 'fortran_order': False, 'shape': " + shape.str() + ", }";
    // Header padded with spaces so that magic + version + length + header is a multiple of 64, ending in '\n'.
    const size_t unpadded = 6 + 2 + 2 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    writeFileAtomically(path, [&](const std::filesystem::path& temporary) {
        std::ofstream out(temporary, std::ios::binary);
        out.write(kMagic, 6);
        const char version[2] = {1, 0};
        out.write(version, 2);
        const uint16_t length = static_cast<uint16_t>(header.size());
        const char lengthBytes[2] = {char(length & 0xFF), char(length >> 8)};
        out.write(lengthBytes, 2);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(static_cast<const char*>(data.data_ptr()), static_cast<std::streamsize>(data.nbytes()));
        out.close();
        if (!out) throw InputError(path.string(), "cannot write file");
    });
}

torch::Tensor readNpy(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(source, "file not found or unreadable");
    char prefix[10];
    if (!in.read(prefix, 10) || std::memcmp(prefix, kMagic, 6) != 0) throw InputError(source, "not a .npy file (bad magic)");
    size_t headerLength = 0;
    if (prefix[6] == 1) {
        headerLength = uint8_t(prefix[8]) | (size_t(uint8_t(prefix[9])) << 8);
    } else {
        char extra[2];
        if (!in.read(extra, 2)) throw InputError(source, "truncated .npy header");
        headerLength =
            uint8_t(prefix[8]) | (size_t(uint8_t(prefix[9])) << 8) | (size_t(uint8_t(extra[0])) << 16) | (size_t(uint8_t(extra[1])) << 24);
    }
    std::string header(headerLength, '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(headerLength))) throw InputError(source, "truncated .npy header");
    std::smatch match;
    if (!std::regex_search(header, match, std::regex(R"('descr':\s*'([^']+)')"))) throw InputError(source, "no dtype in .npy header");
    const auto type = typeFor(match[1], source);
    if (header.find("'fortran_order': True") != std::string::npos) throw InputError(source, "Fortran-order .npy is not supported");
    if (!std::regex_search(header, match, std::regex(R"('shape':\s*\(([^)]*)\))"))) throw InputError(source, "no shape in .npy header");
    std::vector<int64_t> shape;
    std::stringstream dims(match[1].str());
    for (std::string dim; std::getline(dims, dim, ',');) {
        if (dim.find_first_not_of(" ") != std::string::npos) shape.push_back(std::stoll(dim));
    }
    auto tensor = torch::empty(shape, torch::TensorOptions().dtype(type));
    if (!in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(tensor.nbytes()))) {
        throw InputError(source, "expected " + std::to_string(tensor.nbytes()) + " data bytes (truncated?)");
    }
    return tensor;
}

}  // namespace sw
