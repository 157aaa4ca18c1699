// libFuzzer target for the IDX and CIFAR-10 parsers. Build with clang, with the whole tree under ASan+UBSan so
// that the parsers in the core library are instrumented too:
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DSW_BUILD_FUZZ=ON -DSW_SANITIZE=ON
//   cmake --build build-fuzz --target fuzz_dataset_parsers && build-fuzz/tests/fuzz_dataset_parsers -max_total_time=60
#include "core/data/ParserFuzzCorpus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    sw::test::parseUntrustedBytes(data, size);
    return 0;
}
