#include "data/Cifar10Format.h"

#include <cstring>

#include "util/InputError.h"

namespace sw {

namespace {
constexpr size_t kPixelBytes = 3 * 32 * 32;
constexpr size_t kRecordBytes = 1 + kPixelBytes;
constexpr int kClassCount = 10;
}  // namespace

Cifar10Batch parseCifar10Batch(const std::vector<uint8_t>& bytes, const std::string& source) {
    if (bytes.empty()) {
        throw InputError(source, "is empty (expected records of 3073 bytes)");
    }
    if (bytes.size() % kRecordBytes != 0) {
        throw InputError(source, "size " + std::to_string(bytes.size()) + " is not a multiple of the 3073-byte record (truncated?)");
    }
    const auto count = static_cast<int64_t>(bytes.size() / kRecordBytes);
    Cifar10Batch batch{torch::empty({count, 3, 32, 32}, torch::kUInt8), torch::empty({count}, torch::kInt64)};
    auto* pixels = batch.images.data_ptr<uint8_t>();
    auto* labels = batch.labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < count; ++i) {
        const uint8_t* record = bytes.data() + static_cast<size_t>(i) * kRecordBytes;
        if (record[0] >= kClassCount) {
            throw InputError(source,
                             "label " + std::to_string(record[0]) + " of record " + std::to_string(i) + " is out of range (expected 0..9)");
        }
        labels[i] = record[0];
        std::memcpy(pixels + static_cast<size_t>(i) * kPixelBytes, record + 1, kPixelBytes);
    }
    return batch;
}

}  // namespace sw
