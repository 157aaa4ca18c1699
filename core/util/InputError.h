#pragma once

#include <stdexcept>
#include <string>

namespace sw {

/// A problem with something the user gave us (a file, a flag, a model that does not fit the data).
/// The message always names the file or option first, then the cause, e.g.
/// "train-images-idx3-ubyte.gz: expected 47040016 bytes, found 1024 (truncated?)".
class InputError : public std::runtime_error {
public:
    InputError(const std::string& source, const std::string& cause);

    /// The file or option the error is about.
    const std::string& source() const { return m_source; }

private:
    std::string m_source;
};

}  // namespace sw
