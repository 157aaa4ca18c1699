#include "timeline/TimelineRecorder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "explain/SaliencyExplainer.h"
#include "io/NpyFile.h"
#include "metrics/RelativeStability.h"
#include "metrics/Sparseness.h"
#include "metrics/StabilityCurve.h"
#include "models/NativeClassifier.h"
#include "util/ComputeDevice.h"
#include "util/InputError.h"
#include "util/PrecisionScope.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

constexpr int64_t kChunk = 256;

/// The mean of the finite values and how many there were (NaN for none).
std::pair<double, int64_t> finiteMean(const torch::Tensor& values) {
    const auto scores = values.to(torch::kFloat64).cpu();
    const auto finite = scores.masked_select(torch::isfinite(scores));
    if (finite.numel() == 0) return {std::numeric_limits<double>::quiet_NaN(), 0};
    return {finite.mean().item<double>(), finite.numel()};
}

}  // namespace

TimelineRecorder::TimelineRecorder(TimelineOptions options, const fs::path& modelFile, const Dataset& test, TimelineObserver observer)
    : m_options(std::move(options)),
      m_modelName(modelFile.filename().string()),
      m_test(test),
      m_observer(std::move(observer)),
      m_folder(TimelineFolder::besideModel(modelFile)) {
    m_options.validate();
    for (const auto index : m_options.probeIndices) {
        if (index >= test.size()) {
            throw InputError("--timeline-probes " + std::to_string(index), "is out of range: " + test.spec + " has " +
                                                                               std::to_string(test.size()) + " images (0 to " +
                                                                               std::to_string(test.size() - 1) + ")");
        }
    }
}

void TimelineRecorder::onStep(const TrainerPosition& position, Classifier& network) {
    // The clock starts before begin(): on a new run, choosing and saving the probes is part of the first snapshot's cost.
    const auto started = std::chrono::steady_clock::now();
    if (!m_begun) begin(position, network);
    if (std::binary_search(m_schedule.begin(), m_schedule.end(), position.step) &&
        (m_index.snapshots.empty() || m_index.snapshots.back().step < position.step)) {
        record(position.step, position.stepsPerEpoch > 0 && position.step > 0 ? (position.step - 1) / position.stepsPerEpoch : 0, network,
               started);
    }
}

std::vector<int64_t> TimelineRecorder::defaultProbes(Classifier& network) const {
    std::vector<int64_t> chosen;
    std::set<int64_t> classesSeen;
    const auto labels = m_test.labels.contiguous();
    const auto* label = labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < m_test.size() && int64_t(chosen.size()) < m_options.probeCount; ++i) {
        if (classesSeen.insert(label[i]).second) chosen.push_back(i);
    }
    std::sort(chosen.begin(), chosen.end(), [&](int64_t a, int64_t b) { return label[a] < label[b]; });
    // Then the first images the model at the start of recording gets wrong, so the timeline shows some hard cases.
    NativeClassifier model(network);
    model.setTrainingMode(false);
    torch::NoGradGuard noGrad;
    for (int64_t begin = 0; begin < m_test.size() && int64_t(chosen.size()) < m_options.probeCount; begin += kChunk) {
        const auto indices = torch::arange(begin, std::min(m_test.size(), begin + kChunk), torch::kInt64);
        const auto predictions = model.logits(toDevice(m_test.floatImages(indices), model.device())).argmax(1).cpu();
        for (int64_t i = 0; i < indices.size(0) && int64_t(chosen.size()) < m_options.probeCount; ++i) {
            const int64_t index = begin + i;
            if (predictions[i].item<int64_t>() != label[index] && std::find(chosen.begin(), chosen.end(), index) == chosen.end()) {
                chosen.push_back(index);
            }
        }
    }
    for (int64_t i = 0; i < m_test.size() && int64_t(chosen.size()) < m_options.probeCount; ++i) {  // a model that errs nowhere
        if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
    }
    return chosen;
}

void TimelineRecorder::begin(const TrainerPosition& position, Classifier& network) {
    m_begun = true;
    const bool continuing = position.step > 0 && m_folder.hasIndex();
    if (continuing) {
        m_index = m_folder.readIndex();
        // The recorded probes and methods win over today's options: one timeline records one thing.
        m_options = m_index.options;
        m_options.enabled = true;
        while (!m_index.snapshots.empty() && m_index.snapshots.back().step > position.step) m_index.snapshots.pop_back();
        m_probePixels = readNpy(m_folder.probesFile()).to(torch::kFloat32);
        if (m_probePixels.dim() != 4 || m_probePixels.size(0) != int64_t(m_index.probeIndices.size())) {
            throw InputError(m_folder.probesFile().string(), "is damaged: it does not hold the index's probe images");
        }
        m_probeLabels = torch::tensor(m_index.probeLabels, torch::kInt64);
    } else {
        std::error_code ignored;
        fs::remove_all(m_folder.root(), ignored);  // an earlier run's timeline of this model file: the model is replaced too
        const auto indices = m_options.probeIndices.empty() ? defaultProbes(network) : m_options.probeIndices;
        const auto indexTensor = torch::tensor(indices, torch::kInt64);
        m_probePixels = m_test.floatImages(indexTensor).contiguous();
        m_probeLabels = m_test.labels.index_select(0, indexTensor);
        m_index.model = m_modelName;
        m_index.dataset = m_test.spec;
        m_index.classNames = m_test.classNames;
        m_index.probeIndices = indices;
        m_index.probeLabels = {m_probeLabels.data_ptr<int64_t>(), m_probeLabels.data_ptr<int64_t>() + m_probeLabels.numel()};
        m_index.mapHeight = m_probePixels.size(2);
        m_index.mapWidth = m_probePixels.size(3);
        m_index.options = m_options;
        fs::create_directories(m_folder.root());
        writeNpy(m_folder.probesFile(), m_probePixels);
    }
    m_index.totalSteps = position.totalSteps;
    m_index.stepsPerEpoch = position.stepsPerEpoch;
    m_schedule = timelineSchedule(m_options, position.totalSteps, position.stepsPerEpoch);
    m_folder.writeIndex(m_index);
}

void TimelineRecorder::record(int64_t step, int64_t epoch, Classifier& network, std::chrono::steady_clock::time_point started) {
    const PrecisionScope exact(Precision::Float32);  // a snapshot is an explanation: true fp32 (docs/TRAINING.md)
    NativeClassifier model(network);
    model.setTrainingMode(false);
    const auto device = model.device();
    const auto probes = toDevice(m_probePixels, device);
    const auto labels = m_probeLabels.to(device);

    TimelineSnapshot snapshot;
    snapshot.step = step;
    snapshot.epoch = epoch;
    {
        torch::NoGradGuard noGrad;
        const auto probabilities = torch::softmax(model.logits(probes), 1).cpu();
        const auto [confidence, prediction] = probabilities.max(1);
        for (int64_t i = 0; i < prediction.size(0); ++i) {
            snapshot.predictions.push_back(prediction[i].item<int64_t>());
            snapshot.confidences.push_back(confidence[i].item<double>());
        }
        const int64_t heldOut = std::min(m_options.heldOutCount, m_test.size());
        int64_t correct = 0;
        for (int64_t begin = 0; begin < heldOut; begin += kChunk) {
            const auto indices = torch::arange(begin, std::min(heldOut, begin + kChunk), torch::kInt64);
            const auto predictions = model.logits(toDevice(m_test.floatImages(indices), device)).argmax(1).cpu();
            correct += predictions.eq(m_test.labels.index_select(0, indices)).sum().item<int64_t>();
        }
        snapshot.heldOutAccuracy = double(correct) / double(heldOut);
    }

    for (const auto& config : m_options.methodConfigs()) {
        SaliencyExplainer explainer(model, config);
        const auto attributions = explainer.attribute(probes, labels);
        const auto maps = heatmapOf(attributions, config.heatmapReduction).to(torch::kCPU, torch::kFloat32).contiguous();
        writeNpy(m_folder.mapsFile(step, config.method), maps);

        TimelineMeasures measures;
        measures.gini = giniIndex(attributions).mean().item<double>();
        RelativeStabilityOptions stability;
        stability.samples = m_options.stabilitySamples;
        stability.seed = m_options.seed;
        ExplainedModel explained{[&](const torch::Tensor& x) { return model.logits(x); },
                                 [&](const torch::Tensor& x, const torch::Tensor& t) { return explainer.attribute(x, t); }};
        std::tie(measures.ris, measures.risCount) = finiteMean(relativeStability(explained, probes, labels, attributions, stability).ris);

        StabilityCurveOptions curve;
        curve.noiseLevels = {m_options.noiseSigma};
        curve.measures = {"ssim"};
        curve.seed = m_options.seed;
        torch::Tensor correct = torch::tensor(snapshot.predictions, torch::kInt64).eq(m_probeLabels).nonzero().flatten();
        const auto points =
            stabilityCurve(model, explainer, probes, labels.cpu(), curve, {}, attributions.index_select(0, correct.to(device)).cpu());
        measures.ssim =
            points.empty() || points.front().kept == 0 ? std::numeric_limits<double>::quiet_NaN() : points.front().statistics.mean;
        measures.ssimPairs = points.empty() ? 0 : points.front().kept;
        snapshot.measures[config.method] = measures;
    }
    // Up to the index's own write, which is not timed: its duration cannot be stored in the file it writes.
    snapshot.costSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_costSecondsOfThisRun += snapshot.costSeconds;
    m_index.snapshots.push_back(snapshot);
    m_folder.writeIndex(m_index);  // last: the snapshot counts only once its maps are all on disk

    if (!m_observer) return;
    // The live view shows what a reader of the folder would see: the same files, read back the one way.
    if (const auto update = m_folder.readNewestUpdate(m_index)) m_observer(*update);
}

}  // namespace sw
