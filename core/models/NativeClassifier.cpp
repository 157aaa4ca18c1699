#include "models/NativeClassifier.h"

namespace sw {

torch::Device NativeClassifier::device() const {
    const auto parameters = m_network->parameters();
    return parameters.empty() ? torch::Device(torch::kCPU) : parameters.front().device();
}

}  // namespace sw
