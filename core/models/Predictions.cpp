#include "models/Predictions.h"

#include "data/Dataset.h"
#include "util/Feedback.h"

namespace sw {

std::string classNameOf(const ImageClassifier& model, int64_t index) {
    const auto& classes = model.description().classes;
    return index >= 0 && size_t(index) < classes.size() ? classes[size_t(index)] : std::to_string(index);
}

torch::Tensor logitsInChunks(ImageClassifier& model, const torch::Tensor& pixels, int64_t chunk) {
    torch::NoGradGuard noGrad;
    model.setTrainingMode(false);
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < pixels.size(0); begin += chunk) {
        parts.push_back(model.logits(pixels.slice(0, begin, begin + chunk).to(model.device())).cpu());
    }
    return parts.empty() ? torch::empty({0, int64_t(model.description().classes.size())}) : torch::cat(parts);
}

std::vector<Prediction> predict(ImageClassifier& model, const torch::Tensor& pixels, int64_t chunk) {
    const auto [confidence, index] = torch::softmax(logitsInChunks(model, pixels, chunk).to(torch::kFloat64), 1).max(1);
    std::vector<Prediction> predictions(size_t(pixels.size(0)));
    for (size_t i = 0; i < predictions.size(); ++i) {
        predictions[i].index = index[int64_t(i)].item<int64_t>();
        predictions[i].confidence = confidence[int64_t(i)].item<double>();
        predictions[i].className = classNameOf(model, predictions[i].index);
    }
    return predictions;
}

torch::Tensor predictedClasses(ImageClassifier& model, const Dataset& data, int64_t chunk, Feedback* feedback) {
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < data.size(); begin += chunk) {
        throwIfCancelled(feedback);
        const auto indices = torch::arange(begin, std::min(data.size(), begin + chunk));
        parts.push_back(logitsInChunks(model, data.floatImages(indices), chunk).argmax(1));
        reportProgress(feedback, double(std::min(data.size(), begin + chunk)) / double(data.size()), "predicting " + data.spec);
    }
    return parts.empty() ? torch::empty({0}, torch::kInt64) : torch::cat(parts);
}

}  // namespace sw
