#pragma once
// Declarations only, written for this project (docs/SCALING.md): PyPI's LibTorch ships c10d's headers but not
// Gloo's, and ProcessGroupGloo.hpp needs Gloo's types only by name (behind pointers) plus the few members its
// inline code mentions. The definitions are Gloo's own, inside libtorch_cpu. Nothing here is ever constructed.
#include <chrono>
#include <memory>

namespace gloo {

namespace transport {
class Device;
class UnboundBuffer;
}  // namespace transport

class Context {
public:
    void setTimeout(std::chrono::milliseconds timeout);
};

}  // namespace gloo
