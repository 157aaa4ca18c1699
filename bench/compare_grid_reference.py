#!/usr/bin/env python3
"""Plain PyTorch reference for the compare grid of bench/gui_responsiveness_bench: for each image, the
prediction and map of every model with VG, IG-50 (Gauss-Legendre, zero baseline) and SmoothGrad-25
(σ = 0.15, |gradient|), method by method as the GUI orders them, plus each map's Gini index.
Prints one JSON line: median milliseconds to the first cell and to the whole grid.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from explain_reference import gini, gradients, integrated_gradients, load_model, read_idx  # noqa: E402


def vanilla(model, x, target):
    return gradients(model, x, target).abs()


def smoothgrad(model, x, target, samples=25, sigma=0.15, seed=0):
    generator = torch.Generator().manual_seed(seed)
    noisy = x.repeat(samples, 1, 1, 1) + sigma * torch.randn((samples,) + tuple(x.shape[1:]), generator=generator)
    return gradients(model, noisy, target.repeat(samples)).abs().mean(0, keepdim=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    models = [load_model(path) for path in args.models.split(",")]
    images = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
    methods = [vanilla, lambda m, x, t: integrated_gradients(m, x, t, 50), smoothgrad]
    first, total = [], []
    for index in range(1, args.images + 1):
        x = images[index].to(torch.float32).view(1, 1, 28, 28) / 255.0
        start = time.perf_counter()
        first_cell = None
        for method in methods:
            for model in models:
                with torch.no_grad():
                    probabilities = torch.softmax(model(x), 1)
                target = probabilities.argmax(1)
                attribution = method(model, x, target)
                gini(attribution)
                if first_cell is None:
                    first_cell = time.perf_counter() - start
        first.append(first_cell * 1000)
        total.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"phase": "compare_reference", "first_cell_median_ms": float(np.median(first)),
                      "all_cells_median_ms": float(np.median(total)), "all_cells_max_ms": float(np.max(total))}))


if __name__ == "__main__":
    main()
