#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sw::test {

/// Feeds bytes to the IDX image, IDX label and CIFAR-10 parsers. Returns normally when the parser accepted
/// the bytes or rejected them with an InputError; anything else (another exception, a crash) is a bug.
void parseUntrustedBytes(const uint8_t* data, size_t size);

/// Valid seed inputs for mutation: small IDX image/label files and a CIFAR-10 batch.
std::vector<std::vector<uint8_t>> parserSeedCorpus();

}  // namespace sw::test
