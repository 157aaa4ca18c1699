"""Our native architectures in plain PyTorch, for the benchmark peers (bench/train_reference.py,
bench/explain_reference.py).

- `wide_resnet(depth, widen)`: Zagoruyko & Komodakis' pre-activation WideResNet (core/models/Architectures.cpp,
  WideBlockImpl and wideResNet());
- `resnet18(imagenet_stem)`: torchvision's ResNet-18 (BasicBlockImpl and resnet18()), with the ImageNet stem
  (7×7 convolution, stride 2, max-pool) or the CIFAR one (3×3 convolution);
- `lenet()`: the paper's LeNet;
- `SmoothingBlock`: the feature-map smoothing block y = x + Conv1x1(Blur(x)) (core/models/SmoothingBlock.cpp);
- `load_native_model(path)`: rebuilds a native model file (.swm) — normalisation, stages and smoothing blocks —
  from its description and weights.

Each architecture is an `nn.Sequential` of the same named stages as ours, with the same parameter names, so our
weights load into it unchanged. The plain architectures take pixels in [0, 1] and have no normalisation layer;
`load_native_model` adds ours in front. Needs only torch.
"""
import json
import warnings
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


def _conv(in_channels, out_channels, kernel, stride=1, padding=0):
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=padding, bias=False)


class BasicBlock(nn.Module):
    """torchvision's BasicBlock, with its parameter names."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv1 = _conv(in_channels, out_channels, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = _conv(out_channels, out_channels, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(_conv(in_channels, out_channels, 1, stride), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (self.downsample(x) if self.downsample is not None else x))


class WideBlock(nn.Module):
    """Zagoruyko & Komodakis' pre-activation wide block: the shortcut takes the activated input when it projects."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = _conv(in_channels, out_channels, 3, stride, 1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = _conv(out_channels, out_channels, 3, 1, 1)
        self.shortcut = None
        if stride != 1 or in_channels != out_channels:
            self.shortcut = _conv(in_channels, out_channels, 1, stride)

    def forward(self, x):
        activated = F.relu(self.bn1(x))
        y = self.conv1(activated)
        y = self.conv2(F.relu(self.bn2(y)))
        return y + (self.shortcut(activated) if self.shortcut is not None else x)


def _global_average_pool():
    return nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())


def lenet(in_channels=1, height=28, width=28, classes=10):
    """The paper's LeNet: conv(→6, 5)·ReLU·max-pool 2, conv(6→16, 5)·ReLU·max-pool 2, FC →120→84→classes."""
    map_height, map_width = ((height - 4) // 2 - 4) // 2, ((width - 4) // 2 - 4) // 2
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(in_channels, 6, 5)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(6, 16, 5)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(16 * map_height * map_width, 120)), ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(120, 84)), ("relu4", nn.ReLU()),
        ("fc3", nn.Linear(84, classes))]))


def resnet18(in_channels=3, classes=10, imagenet_stem=True):
    """ResNet-18; the ImageNet stem is a 7×7 stride-2 convolution and a 3×3 stride-2 max-pool."""
    if imagenet_stem:
        stem = nn.Sequential(OrderedDict([
            ("conv", _conv(in_channels, 64, 7, 2, 3)), ("bn", nn.BatchNorm2d(64)), ("relu", nn.ReLU()),
            ("maxpool", nn.MaxPool2d(3, stride=2, padding=1))]))
    else:
        stem = nn.Sequential(OrderedDict([
            ("conv", _conv(in_channels, 64, 3, 1, 1)), ("bn", nn.BatchNorm2d(64)), ("relu", nn.ReLU())]))

    def group(in_channels, out_channels, stride):
        return nn.Sequential(BasicBlock(in_channels, out_channels, stride), BasicBlock(out_channels, out_channels, 1))

    return nn.Sequential(OrderedDict([
        ("stem", stem),
        ("layer1", group(64, 64, 1)), ("layer2", group(64, 128, 2)),
        ("layer3", group(128, 256, 2)), ("layer4", group(256, 512, 2)),
        ("pool", _global_average_pool()), ("fc", nn.Linear(512, classes))]))


def wide_resnet(depth=28, widen=10, in_channels=3, classes=10):
    """WRN-depth-widen: a 3×3 stem, three groups of (depth − 4) / 6 wide blocks, BN·ReLU, global pool, FC."""
    if depth < 10 or (depth - 4) % 6 != 0:
        raise ValueError(f"wrn-{depth}-{widen}: depth must be 6n+4 (e.g. 16, 22, 28)")
    blocks = (depth - 4) // 6
    widths = [16, 16 * widen, 32 * widen, 64 * widen]

    def group(in_channels, out_channels, stride):
        return nn.Sequential(*[WideBlock(in_channels if i == 0 else out_channels, out_channels, stride if i == 0 else 1)
                               for i in range(blocks)])

    return nn.Sequential(OrderedDict([
        ("stem", _conv(in_channels, widths[0], 3, 1, 1)),
        ("layer1", group(widths[0], widths[1], 1)), ("layer2", group(widths[1], widths[2], 2)),
        ("layer3", group(widths[2], widths[3], 2)),
        ("head", nn.Sequential(OrderedDict([("bn", nn.BatchNorm2d(widths[3])), ("relu", nn.ReLU())]))),
        ("pool", _global_average_pool()), ("fc", nn.Linear(widths[3], classes))]))


def build_architecture(arch, input_shape, classes):
    """The stages our `buildArchitecture` makes for an architecture name: lenet, resnet18, resnet18-imagenet,
    wrn-D-W."""
    channels, height, width = input_shape
    if arch == "lenet":
        return lenet(channels, height, width, classes)
    if arch in ("resnet18", "resnet18-imagenet"):
        return resnet18(channels, classes, imagenet_stem=arch == "resnet18-imagenet")
    parts = arch.split("-")
    if len(parts) == 3 and parts[0] == "wrn" and parts[1].isdigit() and parts[2].isdigit():
        return wide_resnet(int(parts[1]), int(parts[2]), channels, classes)
    raise ValueError(f"unknown architecture {arch!r}; expected lenet, resnet18, resnet18-imagenet or wrn-D-W")


def default_blur_sigma(feature_map_size):
    """OpenCV's rule σ = 0.3·((n−1)·0.5−1)+0.8, which the authors apply with n = the feature-map size."""
    return 0.3 * ((feature_map_size - 1.0) * 0.5 - 1.0) + 0.8


def blur_kernel(kind, kernel_size, sigma):
    """The normalised k×k blur kernel, 1×1×k×k float32, as SmoothingBlockImpl::reset computes it."""
    kernel = torch.ones(kernel_size, kernel_size, dtype=torch.float32)
    if kind == "gaussian":
        offsets = torch.arange(kernel_size, dtype=torch.float64) - float(kernel_size // 2)
        profile = torch.exp(-(offsets * offsets) / (2.0 * sigma * sigma))
        kernel = torch.outer(profile, profile).to(torch.float32)
    return (kernel / kernel.sum()).view(1, 1, kernel_size, kernel_size)


class SmoothingBlock(nn.Module):
    """y = x + Conv1x1(Blur_k(x)) with reflect padding; only the 1×1 convolution ("mix") learns. The blur is
    Gaussian (σ in feature-map pixels), mean or median; its kernel is the buffer "blur_kernel" (unused by the
    median)."""

    def __init__(self, channels, kind="gaussian", kernel_size=3, sigma=1.0):
        super().__init__()
        if kind == "box":
            kind = "mean"
        if kind not in ("gaussian", "mean", "median"):
            raise ValueError(f"smoothing kind {kind!r}: expected gaussian, mean or median")
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f"smoothing kernel size {kernel_size}: must be odd and positive")
        self.kind, self.kernel_size, self.sigma = kind, kernel_size, sigma
        self.mix = nn.Conv2d(channels, channels, 1, bias=True)
        self.register_buffer("blur_kernel", blur_kernel(kind, kernel_size, sigma))

    def blur(self, x):
        pad = self.kernel_size // 2
        if pad == 0:
            return x
        padded = F.pad(x, (pad, pad, pad, pad), mode="reflect")
        if self.kind == "median":
            windows = padded.unfold(2, self.kernel_size, 1).unfold(3, self.kernel_size, 1)
            return windows.reshape(*x.shape, -1).median(-1).values
        depthwise = self.blur_kernel.to(x.dtype).expand(x.shape[1], 1, self.kernel_size, self.kernel_size)
        return F.conv2d(padded, depthwise, groups=x.shape[1])

    def forward(self, x):
        return x + self.mix(self.blur(x))


class Normalize(nn.Module):
    """(x − mean) / std per channel, with our buffer names."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class NativeClassifier(nn.Module):
    """Our ClassifierImpl: normalisation ("normalize"), the architecture's stages, and a smoothing block
    "smooth_<stage>" right after each stage the description names. Pixels in [0, 1] → logits."""

    def __init__(self, description):
        super().__init__()
        self.description = description
        channels, height, width = description["input_shape"]
        normalization = description.get("normalization", {})
        self.normalize = Normalize(normalization.get("mean") or [0.0] * channels,
                                   normalization.get("std") or [1.0] * channels)
        stages = build_architecture(description["arch"], (channels, height, width), len(description["classes"]))
        self.stage_names = [name for name, _ in stages.named_children()]
        for name, stage in stages.named_children():
            self.add_module(name, stage)
        wanted = {spec["after"]: spec for spec in description.get("smoothing", [])}
        unknown = set(wanted) - set(self.stage_names)
        if unknown:
            raise ValueError(f"smoothing after {sorted(unknown)}: no such stage "
                             f"(stages: {', '.join(self.stage_names)})")
        self.smoothing_after = {}
        if wanted:
            # A dry run finds each block's channel count and map size (for the default σ), as ours does.
            with torch.no_grad():
                x = torch.zeros(1, channels, height, width)
                for name in self.stage_names:
                    x = getattr(self, name).eval()(x)
                    spec = wanted.get(name)
                    if spec is None:
                        continue
                    sigma = spec.get("sigma")
                    if sigma is None:
                        sigma = default_blur_sigma(x.shape[2])
                    block = SmoothingBlock(x.shape[1], spec.get("kind", "gaussian"), spec.get("kernel_size", 3), sigma)
                    self.add_module("smooth_" + name, block)
                    self.smoothing_after[name] = "smooth_" + name
                    x = block(x)
        self.train()

    def forward(self, pixels):
        x = self.normalize(pixels)
        for name in self.stage_names:
            x = getattr(self, name)(x)
            if name in self.smoothing_after:
                x = getattr(self, self.smoothing_after[name])(x)
        return x


def read_native_model_file(path):
    """(description dict, state dict) of a native model file: a TorchScript-loadable archive with the JSON
    description as the attribute "description" and the weights under the submodule "network"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # torch.jit.load is deprecated, yet still reads our archive
        archive = torch.jit.load(path, map_location="cpu")
    try:
        description = json.loads(archive.description)
    except AttributeError:
        raise ValueError(f"{path}: not a saliency-workbench model file (no description)") from None
    if description.get("format", "saliency-workbench-model") != "saliency-workbench-model":
        raise ValueError(f"{path}: not a saliency-workbench model file")
    state = {name[len("network."):]: value.detach().clone()
             for name, value in list(archive.named_parameters()) + list(archive.named_buffers())
             if name.startswith("network.")}
    return description, state


def load_native_model(path):
    """The model in a native model file, on the CPU in eval mode. Checks that every smoothing block's stored blur
    kernel is the one its σ (recorded, or the authors' rule) gives, so this module computes what ours does."""
    description, state = read_native_model_file(path)
    model = NativeClassifier(description)
    model.load_state_dict(state)
    for name in model.smoothing_after.values():
        block = getattr(model, name)
        if block.kind != "median":
            expected = blur_kernel(block.kind, block.kernel_size, block.sigma)
            if not torch.allclose(block.blur_kernel, expected, rtol=1e-5, atol=1e-7):
                raise ValueError(f"{path}: {name}.blur_kernel does not match a {block.kind} blur "
                                 f"with σ = {block.sigma}")
    return model.eval()


def synthetic_batches(shape, batches, batch_size, classes, seed=0):
    """uint8 images (batches·batch_size)×C×H×W and int64 labels drawn from the global generator seeded `seed`,
    in the order bench/train_bench draws them, so both sides see the same pixels."""
    torch.manual_seed(seed)
    count = batches * batch_size
    images = torch.randint(0, 256, (count,) + tuple(shape), dtype=torch.uint8)
    labels = torch.randint(0, classes, (count,), dtype=torch.int64)
    return images, labels


def parameter_count(model):
    return sum(parameter.numel() for parameter in model.parameters())

