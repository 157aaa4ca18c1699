#include "train/Evaluation.h"

#include "data/BatchSampler.h"
#include "train/AdversarialAttack.h"
#include "util/ComputeDevice.h"

namespace sw {

AttackConfig robustnessAttackFor(const ModelDescription& description) {
    const auto trained = AttackConfig::fromJson(description.training.value("adversarial", nlohmann::json::object()));
    if (trained.kind == "pgd") return trained;
    AttackConfig attack;
    attack.kind = "pgd";
    attack.epsilon = trained.enabled() ? trained.epsilon : 0.1;
    attack.steps = 40;
    attack.stepSize = 0.0;  // ε/10
    return attack;
}

AccuracyReport evaluateAccuracy(ImageClassifier& model, const Dataset& data, const AccuracyOptions& options, Feedback* feedback) {
    const Dataset subset = data.head(options.limit);
    const int64_t count = subset.size();
    const auto device = model.device();
    model.setTrainingMode(false);
    int64_t correct = 0, robustCorrect = 0, seen = 0;
    AccuracyReport report;
    for (int64_t begin = 0; begin < count; begin += options.batchSize) {
        throwIfCancelled(feedback);
        const auto indices = torch::arange(begin, std::min(count, begin + options.batchSize), torch::kInt64);
        const auto pixels = toDevice(subset.floatImages(indices), device);
        const auto labels = toDevice(subset.labels.index_select(0, indices), device);
        {
            torch::NoGradGuard noGrad;
            correct += model.logits(pixels).argmax(1).eq(labels).sum().item<int64_t>();
        }
        if (options.attack && options.attack->enabled()) {
            auto generator = makeGenerator(options.seed, uint64_t(begin));
            const auto adversarial = adversarialExamples([&](const torch::Tensor& x) { return model.logits(x); }, pixels, labels,
                                                         *options.attack, generator, {}, feedback);
            torch::NoGradGuard noGrad;
            robustCorrect += model.logits(adversarial).argmax(1).eq(labels).sum().item<int64_t>();
        }
        seen += indices.size(0);
        reportProgress(feedback, double(seen) / double(count), "evaluating");
    }
    report.count = seen;
    report.accuracy = seen > 0 ? double(correct) / double(seen) : 0.0;
    if (options.attack && options.attack->enabled()) {
        report.robustAccuracy = seen > 0 ? double(robustCorrect) / double(seen) : 0.0;
    }
    return report;
}

}  // namespace sw
