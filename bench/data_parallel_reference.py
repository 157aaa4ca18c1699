#!/usr/bin/env python3
"""Plain-PyTorch reference for data-parallel training (bench/run_data_parallel_bench.sh): the paper's LeNet under
DistributedDataParallel with the Gloo backend on loopback, natural or PGD-7 training (Adam, global batch 64 split
over the ranks, one thread per rank), on synthetic 1×28×28 uint8 images. Each rank times its steps after a
warm-up; the slowest rank's time counts.

Prints one JSON line: {"mode", "ranks", "steps", "seconds", "examples_per_second"}.
Run it with the venv's Python (the same torch as the build's LibTorch)."""
import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
from reference_lenet import PaperLeNet  # noqa: E402


def pgd(model, pixels, labels, epsilon=0.1, step=0.01, steps=7):
    model.eval()
    adversarial = (pixels + torch.empty_like(pixels).uniform_(-epsilon, epsilon)).clamp(0, 1)
    for _ in range(steps):
        adversarial.requires_grad_(True)
        loss = F.cross_entropy(model(adversarial), labels)
        gradient, = torch.autograd.grad(loss, adversarial)
        adversarial = torch.min(torch.max(adversarial.detach() + step * gradient.sign(), pixels - epsilon), pixels + epsilon).clamp(0, 1)
    model.train()
    return adversarial.detach()


def worker(rank, ranks, arguments, port, results):
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=ranks)
    torch.manual_seed(0)
    model = torch.nn.parallel.DistributedDataParallel(PaperLeNet())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3 if arguments.mode == "natural" else 1e-4)
    local = arguments.batch_size // ranks
    generator = torch.Generator().manual_seed(rank)
    images = torch.randint(0, 256, (arguments.steps + arguments.warmup, local, 1, 28, 28), dtype=torch.uint8, generator=generator)
    labels = torch.randint(0, 10, (arguments.steps + arguments.warmup, local), generator=generator)
    for step in range(arguments.steps + arguments.warmup):
        if step == arguments.warmup:
            dist.barrier()
            started = time.perf_counter()
        pixels = images[step].float() / 255
        if arguments.mode == "pgd7":
            pixels = pgd(model.module, pixels, labels[step])
        loss = F.cross_entropy(model(pixels), labels[step])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()
    elapsed = torch.tensor([time.perf_counter() - started])
    dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
    if rank == 0:
        results.put(float(elapsed))
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", default="natural", choices=("natural", "pgd7"))
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--port", type=int, default=29677)
    arguments = parser.parse_args()
    context = mp.get_context("spawn")
    results = context.Queue()
    mp.spawn(worker, args=(arguments.ranks, arguments, arguments.port, results), nprocs=arguments.ranks, join=True)
    seconds = results.get()
    print(json.dumps({"mode": arguments.mode, "ranks": arguments.ranks, "steps": arguments.steps, "seconds": round(seconds, 3),
                      "examples_per_second": round(arguments.steps * arguments.batch_size / seconds, 1)}))


if __name__ == "__main__":
    main()
