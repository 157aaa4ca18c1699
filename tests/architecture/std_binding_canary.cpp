// The planted violation of tests/architecture/check_std_bindings.py: linked the compiler's default way, with
// LibTorch before libstdc++ (its CMake target drops the project's libstdc++-first link option), so with a
// torch wheel that exports std::filesystem its call below binds into torch. Never run for its effect.
#include <ATen/Parallel.h>

#include <cstdio>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    if (argc > 2 && std::string(argv[1]) == "--remove") std::filesystem::remove_all(argv[2]);
    std::printf("LibTorch threads: %d\n", at::get_num_threads());  // keeps LibTorch in the load order
    return 0;
}
