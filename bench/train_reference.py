#!/usr/bin/env python3
"""Plain-PyTorch reference for bench/train_bench: the same models, data layout, batches and optimisers, in an
ordinary PyTorch training loop.

Modes (--modes, a comma list; default natural,pgd7):
  natural       the paper's LeNet on Fashion-MNIST, batch 32, Adam 1e-3
  pgd7          the same with PGD-7 adversarial examples (ε = 0.1, step 0.01, random start; attack in eval mode),
                Adam 1e-4
  wrn-28-10     WRN-28-10 on synthetic CIFAR-10-shaped data (3×32×32 uint8, random labels, seed 0), batch 128,
                SGD lr 0.1, momentum 0.9, Nesterov, weight decay 5e-4 (the authors' CIFAR recipe, natural training)
  resnet18-224  ImageNet ResNet-18 on synthetic 3×224×224 data, batch 64, the same SGD
Every mode first runs --warmup-steps steps that are not timed; the clock covers the next N steps, after
torch.cuda.synchronize() on a GPU. Batches are built on the CPU from uint8 pixels and copied to the device through
pinned memory, as our Trainer does, and the loss is read every step in both loops.

Prints one JSON line per mode: {"mode", "device", "batch_size", "steps", "seconds", "examples_per_second",
"steps_per_second"}, plus "test_accuracy" for the LeNet modes.
Run it with the Python whose torch matches the build's LibTorch (`scripts/install-deps.sh --print-venv`).
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_lenet import PaperLeNet as LeNet  # noqa: E402  (the same LeNet the tests use)
from reference_architectures import resnet18, synthetic_batches, wide_resnet  # noqa: E402
from reference_support import read_idx, resolve_device, wait_for  # noqa: E402

LENET_MODES = ("natural", "pgd7")
# Architecture modes: (model factory, input shape, batch size). Ten classes: CIFAR-10 and Imagenette.
ARCH_MODES = {
    "wrn-28-10": (lambda: wide_resnet(28, 10, 3, 10), (3, 32, 32), 128),
    "resnet18-224": (lambda: resnet18(3, 10, imagenet_stem=True), (3, 224, 224), 64),
}
# Synthetic data is a pool of this many batches, visited in a new random order every epoch, as by our Trainer.
SYNTHETIC_BATCHES = 4


def to_device(batch, device):
    return batch.pin_memory().to(device, non_blocking=True) if device.type == "cuda" else batch


def pgd(model, x, y, eps, steps, alpha, generator):
    adv = (x + torch.empty_like(x).uniform_(-eps, eps, generator=generator)).clamp(0, 1)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y)
        grad, = torch.autograd.grad(loss, [adv])
        adv = torch.min(torch.max(adv.detach() + alpha * grad.sign(), x - eps), x + eps).clamp(0, 1)
    return adv.detach()


def train(model, optimizer, images, labels, steps, warmup, batch, device, seed, attack=None):
    """Trains for warmup + steps steps; returns (seconds, examples) of the last `steps`."""
    generator = torch.Generator().manual_seed(seed)
    attack_generator = torch.Generator(device=device).manual_seed(seed)
    order = torch.randperm(images.shape[0], generator=generator)
    per_epoch = (images.shape[0] + batch - 1) // batch
    model.train()
    started = time.perf_counter() if warmup == 0 else None
    seen = 0
    for step in range(warmup + steps):
        if step == warmup and warmup > 0:
            wait_for(device)
            started = time.perf_counter()
        if step % per_epoch == 0 and step > 0:
            order = torch.randperm(images.shape[0], generator=generator)
        index = order[(step % per_epoch) * batch:(step % per_epoch + 1) * batch]
        x = to_device(images.index_select(0, index).float().div_(255.0), device)
        y = to_device(labels.index_select(0, index), device)
        if attack is not None:
            model.eval()
            x = attack(model, x, y, attack_generator)
            model.train()
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()  # the C++ loop reads the loss every step (NaN check); so does this one
        if step >= warmup:
            seen += index.shape[0]
    wait_for(device)
    return time.perf_counter() - started, seen


def result(mode, device, batch, steps, seconds, examples):
    return {"mode": mode, "device": str(device), "batch_size": batch, "steps": steps, "seconds": seconds,
            "examples_per_second": examples / seconds, "steps_per_second": steps / seconds}


def run_lenet(mode, data, steps, warmup, batch, seed, device):
    images, labels, test_images, test_labels = data
    torch.manual_seed(seed)
    model = LeNet().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3 if mode == "natural" else 1e-4)
    attack = None
    if mode == "pgd7":
        attack = lambda model, x, y, generator: pgd(model, x, y, 0.1, 7, 0.01, generator)  # noqa: E731
    seconds, examples = train(model, optimizer, images, labels, steps, warmup, batch, device, seed, attack)
    with torch.no_grad():
        model.eval()
        predictions = model(test_images.to(device).float().div(255.0)).argmax(1)
        accuracy = (predictions == test_labels.to(device)).float().mean().item()
    return dict(result(mode, device, batch, steps, seconds, examples), test_accuracy=accuracy)


def run_architecture(mode, steps, warmup, seed, device):
    factory, shape, batch = ARCH_MODES[mode]
    images, labels = synthetic_batches(shape, SYNTHETIC_BATCHES, batch, 10, seed)
    model = factory().to(device)
    # Ours puts (x − mean) / std in front of the network; this one takes the [0, 1] pixels as they are. One
    # element-wise pass over the input: negligible next to the convolutions.
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    seconds, examples = train(model, optimizer, images, labels, steps, warmup, batch, device, seed)
    return result(mode, device, batch, steps, seconds, examples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--modes", default="natural,pgd7",
                        help="comma list of " + ", ".join(LENET_MODES + tuple(ARCH_MODES)))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--natural-steps", type=int, default=1875)
    parser.add_argument("--pgd-steps", type=int, default=300)
    parser.add_argument("--arch-steps", type=int, default=20)
    parser.add_argument("--warmup-steps", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32, help="for the LeNet modes")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    modes = [mode for mode in args.modes.split(",") if mode]
    for mode in modes:
        if mode not in LENET_MODES and mode not in ARCH_MODES:
            parser.error(f"--modes: unknown mode {mode!r}; expected {', '.join(LENET_MODES + tuple(ARCH_MODES))}")
    if min(args.natural_steps, args.pgd_steps, args.arch_steps) < 1 or args.warmup_steps < 0:
        parser.error("step counts must be at least 1 (warm-up at least 0)")
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    if device.type == "cuda":
        # Our programs let cuDNN time its algorithms for each new shape (sw::setDeterministic(false)); so does this.
        torch.backends.cudnn.benchmark = True
    lenet_data = None
    if any(mode in LENET_MODES for mode in modes):
        lenet_data = (read_idx(f"{args.data}/train-images-idx3-ubyte.gz").unsqueeze(1).contiguous(),
                      read_idx(f"{args.data}/train-labels-idx1-ubyte.gz").long(),
                      read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz").unsqueeze(1).contiguous(),
                      read_idx(f"{args.data}/t10k-labels-idx1-ubyte.gz").long())
    status = 0
    for mode in modes:
        # One mode failing (out of GPU memory, say) leaves the others' figures worth having, as in train_bench.
        try:
            if mode in LENET_MODES:
                steps = args.natural_steps if mode == "natural" else args.pgd_steps
                line = run_lenet(mode, lenet_data, steps, args.warmup_steps, args.batch_size, args.seed, device)
            else:
                line = run_architecture(mode, args.arch_steps, args.warmup_steps, args.seed, device)
        except RuntimeError as error:
            print(f"train_reference: {mode}: {error}", file=sys.stderr)
            status = 1
            continue
        print(json.dumps(line), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
