#!/usr/bin/env python3
"""Plain batched PyTorch reference for bench/explain_bench: the same model (rebuilt from our model file by
reference_architectures.load_native_model, smoothing blocks included), the same Fashion-MNIST test images, the
same thread count and device.

Workloads: VG; IG-50 (Gauss-Legendre, zero baseline, chunks of 512 inputs); the evaluation protocol
(Gini, RIS and ROS with 5 uniform perturbations, SSIM curve over 8 noise levels with VG maps). One untimed VG pass
first loads the kernels (and lets cuDNN choose its algorithms on a GPU); on a GPU each clock stops after
torch.cuda.synchronize().
Prints one JSON line per workload: {"workload", "device", "seconds", "images_per_second"}.
--logits FILE also writes the model's logits for the images (N×K float32 .npy), to compare with explain_bench's.
Run it with the Python whose torch matches the build's LibTorch (`scripts/install-deps.sh --print-venv`).
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_architectures import load_native_model  # noqa: E402
from reference_support import read_idx, resolve_device, wait_for  # noqa: E402,F401  (read_idx: compare_grid_reference imports it from here)

CHUNK = 512
SIGMAS = [0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2]


def load_model(path):
    """A native model file (LeNet, ResNet or WRN, with or without smoothing blocks), on the CPU in eval mode."""
    return load_native_model(path)


def write_npy(path, tensor):
    """A tensor as a float32 NumPy .npy (format 1.0, little-endian), without needing NumPy."""
    tensor = tensor.detach().to("cpu", torch.float32).contiguous()
    header = f"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple(tensor.shape)!r}, }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as handle:
        handle.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1"))
        handle.write(bytes(tensor.flatten().view(torch.uint8).tolist()))


def gauss_legendre(count):
    """Nodes and weights of the count-point Gauss-Legendre rule on [−1, 1] (Golub-Welsch, float64), as
    numpy.polynomial.legendre.leggauss gives them."""
    k = torch.arange(1, count, dtype=torch.float64)
    off_diagonal = k / torch.sqrt(4 * k * k - 1)
    nodes, vectors = torch.linalg.eigh(torch.diag(off_diagonal, 1) + torch.diag(off_diagonal, -1))
    return nodes, 2 * vectors[0] ** 2


def gradients(model, inputs, targets):
    parts = []
    for start in range(0, inputs.shape[0], CHUNK):
        x = inputs[start:start + CHUNK].detach().requires_grad_(True)
        selected = model(x).gather(1, targets[start:start + CHUNK].view(-1, 1)).sum()
        parts.append(torch.autograd.grad(selected, x)[0])
    return torch.cat(parts)


def integrated_gradients(model, x, targets, steps=50):
    nodes, weights = gauss_legendre(steps)
    alphas = (0.5 * (nodes + 1)).to(x.device, torch.float32)
    weights = (0.5 * weights).to(x.device, torch.float32)
    rows = x.shape[0] * steps
    total = torch.zeros_like(x)
    for start in range(0, rows, CHUNK):
        row = torch.arange(start, min(rows, start + CHUNK), device=x.device)
        image, step = row // steps, row % steps
        inputs = alphas[step].view(-1, 1, 1, 1) * x[image]
        total.index_add_(0, image, gradients(model, inputs, targets[image]) * weights[step].view(-1, 1, 1, 1))
    return x * total


def gini(maps):
    a = maps.flatten(1).abs().double()
    a = a / a.max(1, keepdim=True).values.clamp_min(1e-300)
    a, _ = torch.sort(a + 1e-7, 1)
    n = a.shape[1]
    k = 2 * torch.arange(1, n + 1, dtype=torch.float64, device=a.device) - n - 1
    return (a * k).sum(1) / (n * a.sum(1))


def relative_change(e, e2, eps=1e-6):
    e, e2 = e.double(), e2.double()
    return ((e - e2) / (e + (e == 0) * eps)).flatten(1).norm(dim=1)


def ssim(a, b):
    a, b = a.double().unsqueeze(1), b.double().unsqueeze(1)
    mean = lambda t: F.avg_pool2d(t, 5, 1)
    norm = 25 / 24
    ux, uy = mean(a), mean(b)
    vx, vy, vxy = norm * (mean(a * a) - ux * ux), norm * (mean(b * b) - uy * uy), norm * (mean(a * b) - ux * uy)
    c1, c2 = 0.02 ** 2, 0.06 ** 2
    return (((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux ** 2 + uy ** 2 + c1) * (vx + vy + c2))).flatten(1).mean(1)


def protocol(model, x, labels):
    with torch.no_grad():
        logits = model(x)
    correct = logits.argmax(1) == labels
    x, labels, logits = x[correct], labels[correct], logits[correct]
    targets = labels
    maps = gradients(model, x, targets).abs()
    sparseness = gini(maps)
    ris = torch.full((x.shape[0],), -float("inf"), dtype=torch.float64, device=x.device)
    ros = ris.clone()
    changed = torch.zeros(x.shape[0], dtype=torch.bool, device=x.device)
    for _ in range(5):
        xs = x + torch.empty_like(x).uniform_(0.02, 0.2)
        with torch.no_grad():
            logits_s = model(xs)
        maps_s = gradients(model, xs, targets).abs()
        numerator = relative_change(maps, maps_s)
        denominator = relative_change(x, xs)
        ris = torch.maximum(ris, numerator / (denominator + (denominator == 0) * 1e-6))
        output = (logits.double() - logits_s.double()).norm(dim=1)
        ros = torch.maximum(ros, numerator / (output + (output == 0) * 1e-6))
        changed |= logits_s.argmax(1) != logits.argmax(1)
    ris[changed] = float("nan")
    ros[changed] = float("nan")
    clean = maps.sum(1)
    curve = []
    for sigma in SIGMAS:
        noisy = (x + torch.randn_like(x) * sigma).clamp(0, 1)
        with torch.no_grad():
            keep = model(noisy).argmax(1) == labels
        noisy_maps = gradients(model, noisy[keep], targets[keep]).abs().sum(1)
        a, b = clean[keep], noisy_maps
        a = a / a.flatten(1).abs().max(1).values.clamp_min(1e-30).view(-1, 1, 1)
        b = b / b.flatten(1).abs().max(1).values.clamp_min(1e-30).view(-1, 1, 1)
        curve.append(ssim(a, b).mean().item())
    return sparseness.mean().item(), torch.nanmean(ris).item(), curve


def timed(name, count, device, function):
    started = time.perf_counter()
    function()
    wait_for(device)
    seconds = time.perf_counter() - started
    print(json.dumps({"workload": name, "device": str(device), "seconds": seconds,
                      "images_per_second": count / seconds}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--logits", help="also write the logits of the images here (.npy)")
    args = parser.parse_args()
    if args.images < 1:
        parser.error("--images must be at least 1")
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    if device.type == "cuda":
        # Our programs let cuDNN time its algorithms for each new shape (sw::setDeterministic(false)); so does this.
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    model = load_model(args.model).to(device)
    images = read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz")[: args.images]
    labels = read_idx(f"{args.data}/t10k-labels-idx1-ubyte.gz")[: args.images].long().to(device)
    x = (images.unsqueeze(1).float() / 255).to(device)
    count = x.shape[0]
    with torch.no_grad():
        logits = model(x)
    if args.logits:
        write_npy(args.logits, logits)
    targets = logits.argmax(1)
    gradients(model, x, targets).abs()  # not timed: loads the kernels, lets cuDNN choose its algorithms
    wait_for(device)
    timed("vg", count, device, lambda: gradients(model, x, targets).abs())
    timed("ig50", count, device, lambda: integrated_gradients(model, x, targets))
    timed("protocol", count, device, lambda: protocol(model, x, labels))


if __name__ == "__main__":
    main()
