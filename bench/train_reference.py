#!/usr/bin/python3
"""Plain-PyTorch reference for bench/train_bench: the same LeNet, data layout and training loop.

Prints one JSON line per mode: {"mode", "examples_per_second", "steps", "test_accuracy"}.
Uses Debian's python3-torch (same ATen backend as the C++ build) at the given thread count.
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


def read_idx(path):
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def pgd(model, x, y, eps, steps, alpha, generator):
    adv = (x + torch.empty_like(x).uniform_(-eps, eps, generator=generator)).clamp(0, 1)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y)
        grad, = torch.autograd.grad(loss, [adv])
        adv = torch.min(torch.max(adv.detach() + alpha * grad.sign(), x - eps), x + eps).clamp(0, 1)
    return adv.detach()


def run(mode, images, labels, test_images, test_labels, steps, batch, seed):
    torch.manual_seed(seed)
    model = LeNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3 if mode == "natural" else 1e-4)
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(images.shape[0], generator=generator)
    per_epoch = (images.shape[0] + batch - 1) // batch
    started = time.perf_counter()
    seen = 0
    for step in range(steps):
        if step % per_epoch == 0 and step > 0:
            order = torch.randperm(images.shape[0], generator=generator)
        index = order[(step % per_epoch) * batch:(step % per_epoch + 1) * batch]
        x = images.index_select(0, index).float().div_(255.0)
        y = labels.index_select(0, index)
        if mode != "natural":
            model.eval()
            x = pgd(model, x, y, 0.1, 7, 0.01, generator)
            model.train()
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()  # the C++ loop reads the loss every step (NaN check); so does this one
        seen += index.shape[0]
    seconds = time.perf_counter() - started
    with torch.no_grad():
        model.eval()
        predictions = model(test_images.float().div(255.0)).argmax(1)
        accuracy = (predictions == test_labels).float().mean().item()
    return {"mode": mode, "examples_per_second": seen / seconds, "steps": steps, "seconds": seconds,
            "test_accuracy": accuracy}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--natural-steps", type=int, default=1875)
    parser.add_argument("--pgd-steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    images = torch.from_numpy(read_idx(f"{args.data}/train-images-idx3-ubyte.gz").copy()).unsqueeze(1)
    labels = torch.from_numpy(read_idx(f"{args.data}/train-labels-idx1-ubyte.gz").astype(np.int64))
    test_images = torch.from_numpy(read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz").copy()).unsqueeze(1)
    test_labels = torch.from_numpy(read_idx(f"{args.data}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    for mode, steps in (("natural", args.natural_steps), ("pgd7", args.pgd_steps)):
        print(json.dumps(run(mode, images, labels, test_images, test_labels, steps, args.batch_size, args.seed)),
              flush=True)


if __name__ == "__main__":
    main()
