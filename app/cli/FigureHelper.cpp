#include "FigureHelper.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

#include "util/Resources.h"

extern char** environ;

namespace sw::cli {

std::string runFigureHelper(const std::vector<std::string>& arguments) {
    constexpr const char* kHelper = "saliency-figures";
    const auto program = findHelperProgram(kHelper);
    if (program.empty()) return std::string(kHelper) + " is not next to saliency-cli (a build without the GUI draws no figures)";
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    pid_t child = 0;
    if (const int error = posix_spawn(&child, program.c_str(), nullptr, nullptr, argv.data(), environ); error != 0)
        return program + ": cannot be started (" + std::strerror(error) + ")";
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return program + ": lost track of it (" + std::strerror(errno) + ")";
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    if (WIFSIGNALED(status)) return program + " was killed by signal " + std::to_string(WTERMSIG(status));
    return program + " failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
}

}  // namespace sw::cli
