#include "models/Architectures.h"

#include <regex>

#include <torch/nn/functional/activation.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/functional.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include "models/Activation.h"
#include "models/ArchitectureBlocks.h"
#include "util/InputError.h"

namespace sw {

namespace nn = torch::nn;

namespace {

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0, bool bias = false) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(bias));
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int64_t in, int64_t out, int64_t stride)
    : conv1(register_module("conv1", conv(in, out, 3, stride, 1))),
      bn1(register_module("bn1", nn::BatchNorm2d(out))),
      conv2(register_module("conv2", conv(out, out, 3, 1, 1))),
      bn2(register_module("bn2", nn::BatchNorm2d(out))) {
    if (stride != 1 || in != out) {
        downsample = register_module("downsample", nn::Sequential(conv(in, out, 1, stride), nn::BatchNorm2d(out)));
    }
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
    auto y = activation(bn1(conv1(x)));
    y = bn2(conv2(y));
    return activation(y + (downsample ? downsample->forward(x) : x));
}

WideBlockImpl::WideBlockImpl(int64_t in, int64_t out, int64_t stride)
    : bn1(register_module("bn1", nn::BatchNorm2d(in))),
      conv1(register_module("conv1", conv(in, out, 3, stride, 1))),
      bn2(register_module("bn2", nn::BatchNorm2d(out))),
      conv2(register_module("conv2", conv(out, out, 3, 1, 1))) {
    if (stride != 1 || in != out) {
        shortcut = register_module("shortcut", conv(in, out, 1, stride));
    }
}

torch::Tensor WideBlockImpl::forward(const torch::Tensor& x) {
    const auto activated = activation(bn1(x));
    auto y = conv1(activated);
    y = conv2(activation(bn2(y)));
    return y + (shortcut ? shortcut->forward(activated) : x);
}

namespace {

nn::Functional relu() { return nn::Functional(activation); }

Stage globalAveragePool() { return Stage(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({1, 1})), nn::Flatten()); }

std::vector<NamedStage> lenet(const std::array<int64_t, 3>& shape, int64_t classes) {
    const int64_t height = ((shape[1] - 4) / 2 - 4) / 2, width = ((shape[2] - 4) / 2 - 4) / 2;
    if (height < 1 || width < 1) {
        throw InputError("--arch lenet",
                         "input " + std::to_string(shape[1]) + "×" + std::to_string(shape[2]) + " is too small (at least 16×16)");
    }
    return {{"conv1", nn::AnyModule(nn::Conv2d(nn::Conv2dOptions(shape[0], 6, 5)))},
            {"relu1", nn::AnyModule(relu())},
            {"pool1", nn::AnyModule(nn::MaxPool2d(2))},
            {"conv2", nn::AnyModule(nn::Conv2d(nn::Conv2dOptions(6, 16, 5)))},
            {"relu2", nn::AnyModule(relu())},
            {"pool2", nn::AnyModule(nn::MaxPool2d(2))},
            {"flatten", nn::AnyModule(nn::Flatten())},
            {"fc1", nn::AnyModule(nn::Linear(16 * height * width, 120))},
            {"relu3", nn::AnyModule(relu())},
            {"fc2", nn::AnyModule(nn::Linear(120, 84))},
            {"relu4", nn::AnyModule(relu())},
            {"fc3", nn::AnyModule(nn::Linear(84, classes))}};
}

Stage residualGroup(int64_t in, int64_t out, int64_t blocks, int64_t stride) {
    Stage group;
    for (int64_t i = 0; i < blocks; ++i) {
        group->push_back(BasicBlock(i == 0 ? in : out, out, i == 0 ? stride : 1));
    }
    return group;
}

std::vector<NamedStage> resnet18(const std::array<int64_t, 3>& shape, int64_t classes, bool imagenetStem) {
    Stage stem;
    if (imagenetStem) {
        stem->push_back("conv", conv(shape[0], 64, 7, 2, 3));
        stem->push_back("bn", nn::BatchNorm2d(64));
        stem->push_back("relu", relu());
        stem->push_back("maxpool", nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)));
    } else {
        stem->push_back("conv", conv(shape[0], 64, 3, 1, 1));
        stem->push_back("bn", nn::BatchNorm2d(64));
        stem->push_back("relu", relu());
    }
    return {{"stem", nn::AnyModule(stem)},
            {"layer1", nn::AnyModule(residualGroup(64, 64, 2, 1))},
            {"layer2", nn::AnyModule(residualGroup(64, 128, 2, 2))},
            {"layer3", nn::AnyModule(residualGroup(128, 256, 2, 2))},
            {"layer4", nn::AnyModule(residualGroup(256, 512, 2, 2))},
            {"pool", nn::AnyModule(globalAveragePool())},
            {"fc", nn::AnyModule(nn::Linear(512, classes))}};
}

std::vector<NamedStage> wideResNet(const std::array<int64_t, 3>& shape, int64_t classes, int64_t depth, int64_t widen) {
    if (depth < 10 || (depth - 4) % 6 != 0) {
        throw InputError("--arch wrn-" + std::to_string(depth) + "-" + std::to_string(widen), "depth must be 6n+4 (e.g. 16, 22, 28)");
    }
    const int64_t blocks = (depth - 4) / 6;
    const int64_t widths[4] = {16, 16 * widen, 32 * widen, 64 * widen};
    auto group = [&](int64_t in, int64_t out, int64_t stride) {
        Stage layer;
        for (int64_t i = 0; i < blocks; ++i) layer->push_back(WideBlock(i == 0 ? in : out, out, i == 0 ? stride : 1));
        return layer;
    };
    Stage head;
    head->push_back("bn", nn::BatchNorm2d(widths[3]));
    head->push_back("relu", relu());
    return {{"stem", nn::AnyModule(conv(shape[0], widths[0], 3, 1, 1))},
            {"layer1", nn::AnyModule(group(widths[0], widths[1], 1))},
            {"layer2", nn::AnyModule(group(widths[1], widths[2], 2))},
            {"layer3", nn::AnyModule(group(widths[2], widths[3], 2))},
            {"head", nn::AnyModule(head)},
            {"pool", nn::AnyModule(globalAveragePool())},
            {"fc", nn::AnyModule(nn::Linear(widths[3], classes))}};
}

}  // namespace

std::vector<NamedStage> buildArchitecture(const std::string& arch, const std::array<int64_t, 3>& inputShape, int64_t classCount) {
    if (classCount < 2) {
        throw InputError("--arch " + arch, "a classifier needs at least 2 classes, got " + std::to_string(classCount));
    }
    if (arch == "lenet") return lenet(inputShape, classCount);
    if (arch == "resnet18") return resnet18(inputShape, classCount, false);
    if (arch == "resnet18-imagenet") return resnet18(inputShape, classCount, true);
    std::smatch match;
    static const std::regex wrnPattern(R"(wrn-(\d+)-(\d+))");
    if (std::regex_match(arch, match, wrnPattern)) {
        return wideResNet(inputShape, classCount, std::stoll(match[1]), std::stoll(match[2]));
    }
    throw InputError("--arch " + arch, "unknown architecture; expected " + supportedArchitectures());
}

std::string lastFeatureStage(const std::string& arch) {
    if (arch == "lenet") return "relu2";  // the rectified maps of the last convolution, as the Grad-CAM paper takes them
    if (arch.rfind("wrn-", 0) == 0) return "head";
    return "layer4";  // both ResNet-18s: the last residual group, what pytorch-grad-cam's README takes
}

std::string supportedArchitectures() { return "lenet, resnet18, resnet18-imagenet, wrn-D-W (e.g. wrn-16-4, wrn-28-10)"; }

}  // namespace sw
