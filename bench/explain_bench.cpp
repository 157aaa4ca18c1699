// Saliency throughput on 1,000 Fashion-MNIST test images through the core API, the same workloads as
// bench/explain_reference.py: VG, IG-50 (Gauss-Legendre, zero baseline) and the evaluation protocol
// (Gini, RIS/ROS with 5 perturbations, SSIM curve over 8 noise levels). One JSON line per workload.
//   explain_bench --model MODEL [--threads T] [--images N] [--data DIR]
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include <torch/types.h>

#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "metrics/EvaluationProtocol.h"
#include "models/ModelFile.h"
#include "util/ComputeDevice.h"
#include "util/Feedback.h"

using namespace sw;

namespace {

void timed(const char* name, int64_t count, const std::function<void()>& work) {
    const auto started = std::chrono::steady_clock::now();
    work();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("{\"workload\": \"%s\", \"seconds\": %.4f, \"images_per_second\": %.1f}\n", name, seconds, double(count) / seconds);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    std::string modelPath, data = kDebianFashionMnistDir;
    int threads = 2;
    int64_t images = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--model") modelPath = value;
        else if (flag == "--threads") threads = std::stoi(value);
        else if (flag == "--images") images = std::stoll(value);
        else if (flag == "--data") data = value;
    }
    setComputeThreads(threads);
    auto model = loadModel(modelPath);
    const auto test = loadDataset(DatasetSpec::parse("fmnist:" + data + ":test")).head(images);
    const auto pixels = test.floatImages(torch::arange(images, torch::kInt64));

    SaliencyConfig vg;
    SaliencyExplainer vgExplainer(*model, vg);
    const auto targets = vgExplainer.resolveTargets(pixels, {});
    timed("vg", images, [&] { vgExplainer.attribute(pixels, targets); });

    SaliencyConfig ig;
    ig.method = "ig";
    SaliencyExplainer igExplainer(*model, ig);
    timed("ig50", images, [&] { igExplainer.attribute(pixels, targets); });

    EvaluateRequest request;
    request.limit = images;
    request.batchSize = images;
    request.metrics = {"accuracy", "sparseness", "ris", "ros", "ssim"};
    Feedback feedback;
    timed("protocol", images, [&] { evaluateProtocol(*model, test, request, feedback); });
    return 0;
}
