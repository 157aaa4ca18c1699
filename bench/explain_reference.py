#!/usr/bin/python3
"""Plain batched PyTorch reference for bench/explain_bench: the same model (read from our model file with
torch.jit.load), the same 1,000 Fashion-MNIST test images, the same thread count.

Workloads: VG; IG-50 (Gauss-Legendre, zero baseline, chunks of 512 inputs); the evaluation protocol
(Gini, RIS and ROS with 5 uniform perturbations, SSIM curve over 8 noise levels with VG maps).
Prints one JSON line per workload: {"workload", "seconds", "images_per_second"}.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
from reference_lenet import PaperLeNet as LeNet  # noqa: E402  (the same LeNet the tests use)

CHUNK = 512
SIGMAS = [0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2]


def read_idx(path):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_model(path):
    archive = torch.jit.load(path)
    state = {name[len("network."):]: value.detach().clone() for name, value in
             list(archive.named_parameters()) + list(archive.named_buffers())}
    state["mean"], state["std"] = state.pop("normalize.mean"), state.pop("normalize.std")
    model = LeNet()
    model.load_state_dict(state)
    return model.eval()


def gradients(model, inputs, targets):
    parts = []
    for start in range(0, inputs.shape[0], CHUNK):
        x = inputs[start:start + CHUNK].detach().requires_grad_(True)
        selected = model(x).gather(1, targets[start:start + CHUNK].view(-1, 1)).sum()
        parts.append(torch.autograd.grad(selected, x)[0])
    return torch.cat(parts)


def integrated_gradients(model, x, targets, steps=50):
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    alphas = torch.tensor(0.5 * (nodes + 1), dtype=torch.float32)
    weights = torch.tensor(0.5 * weights, dtype=torch.float32)
    rows = x.shape[0] * steps
    total = torch.zeros_like(x)
    for start in range(0, rows, CHUNK):
        row = torch.arange(start, min(rows, start + CHUNK))
        image, step = row // steps, row % steps
        inputs = alphas[step].view(-1, 1, 1, 1) * x[image]
        total.index_add_(0, image, gradients(model, inputs, targets[image]) * weights[step].view(-1, 1, 1, 1))
    return x * total


def gini(maps):
    a = maps.flatten(1).abs().double()
    a = a / a.max(1, keepdim=True).values.clamp_min(1e-300)
    a, _ = torch.sort(a + 1e-7, 1)
    n = a.shape[1]
    k = 2 * torch.arange(1, n + 1, dtype=torch.float64) - n - 1
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
    ris = torch.full((x.shape[0],), -float("inf"), dtype=torch.float64)
    ros = ris.clone()
    changed = torch.zeros(x.shape[0], dtype=torch.bool)
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
    return sparseness.mean().item(), np.nanmean(ris.numpy()), curve


def timed(name, count, function):
    started = time.perf_counter()
    function()
    seconds = time.perf_counter() - started
    print(json.dumps({"workload": name, "seconds": seconds, "images_per_second": count / seconds}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--images", type=int, default=1000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = load_model(args.model)
    images = read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz")[: args.images]
    labels = torch.from_numpy(read_idx(f"{args.data}/t10k-labels-idx1-ubyte.gz")[: args.images].astype(np.int64))
    x = torch.from_numpy(images.copy()).unsqueeze(1).float() / 255
    with torch.no_grad():
        targets = model(x).argmax(1)
    timed("vg", args.images, lambda: gradients(model, x, targets).abs())
    timed("ig50", args.images, lambda: integrated_gradients(model, x, targets))
    timed("protocol", args.images, lambda: protocol(model, x, labels))


if __name__ == "__main__":
    main()
