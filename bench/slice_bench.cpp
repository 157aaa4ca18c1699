// The local-geometry slice (docs/GEOMETRY.md): models along a line of `points` through one Fashion-MNIST test
// image, Vanilla Gradient maps, timed as the median of `repeats` runs after one untimed run. Prints one JSON
// line per workload: "slice" (sliceAlongDirection for every model, the models loaded) and "slice_job" (the whole
// job without files: loading, the slice and the image's curvature, Hessian and RIS/ROS).
//   slice_bench --models A.swm,B.swm,... [--data DIR] [--threads T] [--points P] [--repeats R] [--device D]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "data/BatchSampler.h"
#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "jobs/SliceJob.h"
#include "metrics/InputSlice.h"
#include "models/ModelFile.h"
#include "util/ComputeDevice.h"
#include "util/Feedback.h"
#include "util/ListParsing.h"

using namespace sw;

namespace {

double medianSeconds(int repeats, const std::function<void()>& work) {
    work();  // not timed: loads the kernels
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        const auto started = std::chrono::steady_clock::now();
        work();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string models, data = kDebianFashionMnistDir, device = "cpu";
    int threads = 2, repeats = 5;
    int64_t points = 101;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--models")
            models = value;
        else if (flag == "--data")
            data = value;
        else if (flag == "--threads")
            threads = std::stoi(value);
        else if (flag == "--points")
            points = std::stoll(value);
        else if (flag == "--repeats")
            repeats = std::stoi(value);
        else if (flag == "--device")
            device = value;
        else {
            std::fprintf(stderr, "slice_bench: unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    if (models.empty()) {
        std::fprintf(stderr, "usage: slice_bench --models A.swm,B.swm,... [--data DIR] [--threads T] [--points P] [--repeats R]\n");
        return 2;
    }
    prepareCpuCompute(threads);
    const auto paths = splitCommaList(models);
    const std::string spec = "fmnist:" + data + ":test";
    std::vector<std::unique_ptr<ImageClassifier>> loaded;
    for (const auto& path : paths) {
        loaded.push_back(loadModel(path));
        loaded.back()->moveTo(resolveDevice(device));
    }
    DatasetLoadOptions options;
    options.imageShape = loaded.front()->description().inputShape;
    const auto dataset = loadDataset(DatasetSpec::parse(spec), options);
    const auto pixels = dataset.floatImages(torch::tensor({int64_t(0)}));
    auto generator = makeGenerator(0, 1);
    const auto direction = torch::randn(pixels.sizes(), generator);
    SaliencyConfig vg;
    vg.method = "vg";
    InputSliceOptions slice;
    slice.points = points;
    const double sliceSeconds = medianSeconds(repeats, [&] {
        for (auto& model : loaded) {
            SaliencyExplainer explainer(*model, vg);
            sliceAlongDirection(*model, explainer, pixels, direction, slice);
        }
    });
    std::printf("{\"workload\": \"slice\", \"device\": \"%s\", \"seconds\": %.4f, \"images_per_second\": %.1f}\n", device.c_str(),
                sliceSeconds, double(points) * double(paths.size()) / sliceSeconds);
    SliceRequest request;
    for (const auto& path : paths) request.models.push_back(ModelReference{path, {}, {}});
    request.datasetSpec = spec;
    request.slice = slice;
    request.saliency = vg;
    request.device = device;
    request.threads = threads;
    const double jobSeconds = medianSeconds(repeats, [&] {
        Feedback feedback;
        if (runSliceJob(request, feedback).outcome != Outcome::Completed) std::exit(1);
    });
    std::printf("{\"workload\": \"slice_job\", \"device\": \"%s\", \"seconds\": %.4f, \"images_per_second\": %.1f}\n", device.c_str(),
                jobSeconds, double(points) * double(paths.size()) / jobSeconds);
    return 0;
}
