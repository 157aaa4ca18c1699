// Saliency throughput on 1,000 Fashion-MNIST test images through the core API, the same workloads as
// bench/explain_reference.py: VG, IG-50 (Gauss-Legendre, zero baseline) and the evaluation protocol
// (Gini, RIS/ROS with 5 perturbations, SSIM curve over 8 noise levels). One untimed VG pass first loads the
// kernels (and lets cuDNN choose its algorithms on a GPU). One JSON line per workload.
// --logits FILE also writes the model's logits for the images (N×K float32 .npy), for checking the peer's model.
// --methods LIST times these methods of the method table instead, each with its defaults (all: every method), as
// bench/methods_reference.py times their reference libraries.
//   explain_bench --model MODEL [--device auto|cpu|cuda|cuda:N] [--threads T] [--images N] [--data DIR]
//                 [--logits FILE] [--methods all|ID,ID,...]
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>

#include <torch/cuda.h>
#include <torch/types.h>

#include "data/DatasetLoader.h"
#include "explain/SaliencyExplainer.h"
#include "explain/SaliencyMethods.h"
#include "io/NpyFile.h"
#include "metrics/EvaluationProtocol.h"
#include "models/ModelFile.h"
#include "util/ComputeDevice.h"
#include "util/Feedback.h"
#include "util/ListParsing.h"
#include "util/SystemInfo.h"

using namespace sw;

namespace {

/// Runs `work` and prints its wall time; on a GPU the clock stops once every queued kernel has finished.
void timed(const char* name, int64_t count, torch::Device device, const std::function<void()>& work) {
    const auto started = std::chrono::steady_clock::now();
    work();
    if (device.is_cuda()) torch::cuda::synchronize(device.index());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("{\"workload\": \"%s\", \"device\": \"%s\", \"seconds\": %.4f, \"images_per_second\": %.1f}\n", name, device.str().c_str(),
                seconds, double(count) / seconds);
    std::fflush(stdout);
}

int usage(const std::string& problem) {
    std::fprintf(stderr,
                 "explain_bench: %s\nusage: explain_bench --model MODEL [--device auto|cpu|cuda|cuda:N] "
                 "[--threads T] [--images N] [--data DIR] [--logits FILE] [--methods all|ID,...]\n",
                 problem.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string modelPath, deviceName = "auto", data = kDebianFashionMnistDir, logitsPath, methodList;
    int threads = 2;
    int64_t images = 1000;
    try {
        for (int i = 1; i < argc; i += 2) {
            const std::string flag = argv[i];
            if (i + 1 >= argc) return usage(flag + " needs a value");
            const std::string value = argv[i + 1];
            if (flag == "--model")
                modelPath = value;
            else if (flag == "--device")
                deviceName = value;
            else if (flag == "--threads")
                threads = std::stoi(value);
            else if (flag == "--images")
                images = std::stoll(value);
            else if (flag == "--data")
                data = value;
            else if (flag == "--logits")
                logitsPath = value;
            else if (flag == "--methods")
                methodList = value;
            else
                return usage("unknown option " + flag);
        }
    } catch (const std::exception&) {
        return usage("a number was expected");
    }
    if (modelPath.empty()) return usage("--model is required");
    if (images < 1) return usage("--images must be at least 1");
    try {
        prepareCpuCompute(threads);
        // The program's default (saliency-cli without --deterministic): cuDNN times its algorithms for each shape.
        setDeterministic(false);
        const auto device = resolveDevice(deviceName);
        auto model = loadModel(modelPath);
        model->moveTo(device);
        const auto test = loadDataset(DatasetSpec::parse("fmnist:" + data + ":test")).head(images);
        const auto pixels = test.floatImages(torch::arange(test.size(), torch::kInt64)).to(device);

        if (!logitsPath.empty()) {
            torch::NoGradGuard noGradient;
            model->setTrainingMode(false);
            writeNpy(logitsPath, model->logits(pixels).to(torch::kCPU, torch::kFloat32).contiguous());
        }

        SaliencyConfig vg;
        SaliencyExplainer vgExplainer(*model, vg);
        const auto targets = vgExplainer.resolveTargets(pixels, {});
        vgExplainer.attribute(pixels, targets);  // not timed: loads the kernels, lets cuDNN choose its algorithms
        if (device.is_cuda()) torch::cuda::synchronize(device.index());
        if (!methodList.empty()) {
            std::vector<std::string> methods;
            if (methodList == "all") {
                for (const auto& method : saliencyMethods()) methods.push_back(method.id);
            } else {
                methods = splitCommaList(methodList);
            }
            for (const auto& id : methods) {
                SaliencyConfig config;
                config.method = id;
                SaliencyExplainer explainer(*model, config);
                timed(id.c_str(), test.size(), device, [&] { explainer.attribute(pixels, targets); });
            }
            return 0;
        }
        timed("vg", test.size(), device, [&] { vgExplainer.attribute(pixels, targets); });

        SaliencyConfig ig;
        ig.method = "ig";
        SaliencyExplainer igExplainer(*model, ig);
        timed("ig50", test.size(), device, [&] { igExplainer.attribute(pixels, targets); });

        ProtocolOptions protocol;
        protocol.batchSize = test.size();
        protocol.metrics = {"accuracy", "sparseness", "ris", "ros", "ssim"};
        timed("protocol", test.size(), device, [&] { evaluateProtocol(*model, test, protocol); });
    } catch (const std::exception& error) {
        std::fprintf(stderr, "explain_bench: %s\n", error.what());
        return 1;
    }
    return 0;
}
