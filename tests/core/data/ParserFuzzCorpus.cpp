#include "core/data/ParserFuzzCorpus.h"

#include "data/Cifar10Format.h"
#include "data/IdxFormat.h"
#include "util/InputError.h"

namespace sw::test {

namespace {
void appendBigEndian32(std::vector<uint8_t>& bytes, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(value >> shift));
}
}  // namespace

void parseUntrustedBytes(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    try {
        const auto images = parseIdxImages(bytes, "fuzz-images");
        // A successful parse must describe exactly the bytes it was given.
        if (16 + images.numel() != int64_t(size)) throw std::logic_error("IDX image size disagrees with input");
    } catch (const InputError&) {}
    try {
        const auto labels = parseIdxLabels(bytes, "fuzz-labels", 10);
        if (labels.numel() > 0 && labels.max().item<int64_t>() >= 10) throw std::logic_error("label out of range accepted");
    } catch (const InputError&) {}
    try {
        const auto batch = parseCifar10Batch(bytes, "fuzz-cifar");
        if (batch.images.size(0) * 3073 != int64_t(size)) throw std::logic_error("CIFAR size disagrees with input");
    } catch (const InputError&) {}
}

std::vector<std::vector<uint8_t>> parserSeedCorpus() {
    std::vector<uint8_t> images = {0, 0, 0x08, 3};
    appendBigEndian32(images, 2);
    appendBigEndian32(images, 3);
    appendBigEndian32(images, 3);
    for (int i = 0; i < 18; ++i) images.push_back(uint8_t(i * 13));
    std::vector<uint8_t> labels = {0, 0, 0x08, 1};
    appendBigEndian32(labels, 4);
    for (uint8_t i = 0; i < 4; ++i) labels.push_back(i);
    std::vector<uint8_t> cifar(2 * 3073, 7);
    cifar[0] = 3;
    cifar[3073] = 9;
    return {images, labels, cifar};
}

}  // namespace sw::test
