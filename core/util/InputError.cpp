#include "util/InputError.h"

namespace sw {

InputError::InputError(const std::string& source, const std::string& cause)
    : std::runtime_error(source.empty() ? cause : source + ": " + cause), m_source(source) {}

}  // namespace sw
