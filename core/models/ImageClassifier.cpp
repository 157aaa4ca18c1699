#include "models/ImageClassifier.h"

#include "data/Dataset.h"
#include "util/InputError.h"

namespace sw {

void ImageClassifier::checkCompatible(const Dataset& data, const std::string& modelSource) const {
    const auto& expected = description().inputShape;
    const auto actual = data.imageShape();
    const auto text = [](const std::array<int64_t, 3>& s) {
        return std::to_string(s[0]) + "x" + std::to_string(s[1]) + "x" + std::to_string(s[2]);
    };
    if (actual != expected) {
        throw InputError(modelSource, "model expects " + text(expected) + " images but dataset '" + data.spec + "' has " + text(actual));
    }
    const auto modelClasses = description().classes.size();
    if (!data.classNames.empty() && data.classNames.size() != modelClasses) {
        throw InputError(modelSource, "model has " + std::to_string(modelClasses) + " classes but dataset '" + data.spec + "' has " +
                                          std::to_string(data.classNames.size()));
    }
}

std::pair<torch::Tensor, torch::Tensor> ImageClassifier::logitsWithFeatures(const torch::Tensor&, const std::string& layer) {
    throw InputError("layer " + layer, "this model (" + description().arch + ") has no named layers");
}

torch::Tensor ImageClassifier::logitsWithReluOverride(const torch::Tensor&) {
    throw InputError("model " + description().arch, "its ReLUs cannot be replaced");
}

}  // namespace sw
