#include "metrics/RelativeStability.h"

#include <limits>

#include "data/BatchSampler.h"

namespace sw {

namespace {

constexpr uint64_t kPerturbationStream = 5ull << 40;

torch::Tensor relativeChangeNorm(const torch::Tensor& e, const torch::Tensor& ePerturbed, double epsMin) {
    const auto a = e.to(torch::kFloat64), b = ePerturbed.to(torch::kFloat64);
    return ((a - b) / (a + a.eq(0).to(torch::kFloat64) * epsMin)).flatten(1).norm(2, 1);
}

torch::Tensor guardZero(const torch::Tensor& denominator, double epsMin) {
    return denominator + denominator.eq(0).to(torch::kFloat64) * epsMin;
}

}  // namespace

torch::Tensor relativeInputStabilityObjective(const torch::Tensor& x, const torch::Tensor& xPerturbed, const torch::Tensor& explanation,
                                              const torch::Tensor& explanationPerturbed, double epsMin) {
    const auto numerator = relativeChangeNorm(explanation, explanationPerturbed, epsMin);
    const auto denominator = relativeChangeNorm(x, xPerturbed, epsMin);
    return numerator / guardZero(denominator, epsMin);
}

torch::Tensor relativeOutputStabilityObjective(const torch::Tensor& logits, const torch::Tensor& logitsPerturbed,
                                               const torch::Tensor& explanation, const torch::Tensor& explanationPerturbed, double epsMin) {
    const auto numerator = relativeChangeNorm(explanation, explanationPerturbed, epsMin);
    const auto denominator = (logits.to(torch::kFloat64) - logitsPerturbed.to(torch::kFloat64)).flatten(1).norm(2, 1);
    return numerator / guardZero(denominator, epsMin);
}

RelativeStabilityScores relativeStability(const ExplainedModel& model, const torch::Tensor& pixels, const torch::Tensor& targets,
                                          const torch::Tensor& explanations, const RelativeStabilityOptions& options) {
    const auto count = pixels.size(0);
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    auto ris = torch::full({count}, -std::numeric_limits<double>::infinity(), torch::kFloat64);
    auto ros = ris.clone();
    auto changed = torch::zeros({count}, torch::kBool);
    torch::Tensor logits, predictions;
    {
        torch::NoGradGuard noGrad;
        logits = model.logits(pixels).cpu();
        predictions = logits.argmax(1);
    }
    const auto explanationsCpu = explanations.cpu();
    const auto pixelsCpu = pixels.cpu();
    for (int64_t sample = 0; sample < options.samples; ++sample) {
        auto generator = makeGenerator(options.seed, kPerturbationStream + uint64_t(sample));
        const auto noise = torch::empty(pixels.sizes(), torch::kFloat32).uniform_(options.noiseLow, options.noiseHigh, generator);
        const auto perturbed = pixels + noise.to(pixels.device());
        torch::Tensor perturbedLogits;
        {
            torch::NoGradGuard noGrad;
            perturbedLogits = model.logits(perturbed).cpu();
        }
        const auto perturbedExplanations = model.explain(perturbed, targets).cpu();
        ris = torch::max(
            ris, relativeInputStabilityObjective(pixelsCpu, perturbed.cpu(), explanationsCpu, perturbedExplanations, options.epsMin));
        ros = torch::max(ros,
                         relativeOutputStabilityObjective(logits, perturbedLogits, explanationsCpu, perturbedExplanations, options.epsMin));
        changed = changed.logical_or(perturbedLogits.argmax(1).ne(predictions));
    }
    if (options.nanWhenPredictionChanges) {
        ris.masked_fill_(changed, nan);
        ros.masked_fill_(changed, nan);
    }
    return {ris, ros};
}

}  // namespace sw
