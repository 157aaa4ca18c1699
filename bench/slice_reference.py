#!/usr/bin/env python3
"""The slice of bench/slice_bench.cpp ("slice") in plain PyTorch, as a user would write it: for each model, the
points x + t·d (d random, max|d| = 1), the logits without gradients, the explained logit, the top-2 margin and its
second differences, one backward pass for the input gradients (their norms, and the VG maps |∂f/∂x| summed over
channels), and each map's SSIM (scikit-image, maps ÷ max|map|, window 5, data range 2) and cosine to the map at
t = 0. Median of `repeats` runs after one untimed run; one JSON line as slice_bench prints it.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
from skimage.metrics import structural_similarity

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_architectures import load_native_model  # noqa: E402
from reference_support import read_idx  # noqa: E402


def slice_of(model, x, direction, radius, points):
    t = torch.linspace(-radius, radius, points)
    line = x + t.view(-1, 1, 1, 1) * direction
    with torch.no_grad():
        logits = model(line).double()
    explained = int(logits[points // 2].argmax())
    logit = logits[:, explained]
    others = logits.clone()
    others[:, explained] = -float("inf")
    margin = logit - others.max(1).values
    h = 2 * radius / (points - 1)
    curvature = (logit[2:] - 2 * logit[1:-1] + logit[:-2]) / h**2
    line = line.clone().requires_grad_(True)
    gradients, = torch.autograd.grad(model(line)[:, explained].sum(), line)
    norms = gradients.flatten(1).norm(dim=1)
    maps = gradients.abs().sum(1).numpy().astype(np.float64)
    scaled = maps / np.abs(maps).reshape(points, -1).max(1)[:, None, None]
    ssim = [structural_similarity(scaled[points // 2], m, win_size=5, data_range=2.0) for m in scaled]
    flat = maps.reshape(points, -1)
    cosine = flat @ flat[points // 2] / (np.linalg.norm(flat, axis=1) * np.linalg.norm(flat[points // 2]))
    return margin, curvature, norms, ssim, cosine


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", required=True)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--points", type=int, default=101)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    models = [load_native_model(path).eval() for path in args.models.split(",")]
    x = read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz")[:1].unsqueeze(1).float() / 255
    direction = torch.randn(x.shape, generator=torch.Generator().manual_seed(0))
    direction = direction / direction.abs().max()
    run = lambda: [slice_of(model, x, direction, 0.1, args.points) for model in models]  # noqa: E731
    run()
    seconds = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    median = sorted(seconds)[len(seconds) // 2]
    print(f'{{"workload": "slice", "device": "cpu", "seconds": {median:.4f}, '
          f'"images_per_second": {args.points * len(models) / median:.1f}}}')


if __name__ == "__main__":
    main()
