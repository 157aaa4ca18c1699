"""Why IG maps move under rounding where VG maps barely do (docs/METRICS.md, "CPU and GPU").

Compares, for a model file and the first images of the Fashion-MNIST subset, the input gradient along the
IG path (Gauss-Legendre nodes from the black baseline) with the same gradient after every weight was moved one
unit in the last place, and counts at each point the first max-pool's windows whose two largest (positive)
values are exact ties or near ties, and the pre-activations that sit at a ReLU's kink.

usage: ig_near_ties.py [MODEL.swm] [IMAGES]     (the venv's python; needs only torch and numpy)
"""
import gzip
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from reference_architectures import load_native_model  # noqa: E402

root = pathlib.Path(__file__).resolve().parent.parent
model_path = sys.argv[1] if len(sys.argv) > 1 else root / "resources/models/lenet-adv-eps0.1-gaussian.swm"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 64

model = load_native_model(str(model_path)).eval()
perturbed = load_native_model(str(model_path)).eval()
with torch.no_grad():
    for weight in perturbed.parameters():
        weight.copy_(torch.nextafter(weight, torch.full_like(weight, float("inf"))))
raw = gzip.open(root / "resources/fashion-mnist-subset/t10k-images-idx3-ubyte.gz").read()[16:]
images = torch.tensor(np.frombuffer(raw, np.uint8)[:count * 784].reshape(count, 1, 28, 28) / 255.0, dtype=torch.float32)
targets = model(images).argmax(1)
nodes, _ = np.polynomial.legendre.leggauss(50)
alphas = 0.5 * (nodes + 1)


def gradient(network, inputs):
    inputs = inputs.clone().requires_grad_(True)
    network(inputs).gather(1, targets.view(-1, 1)).sum().backward()
    return inputs.grad


def first_conv_output(inputs):
    captured = {}
    hook = dict(model.named_modules())["conv1"].register_forward_hook(lambda m, i, o: captured.setdefault("z", o.detach()))
    with torch.no_grad():
        model(inputs)
    hook.remove()
    return captured["z"]


print(f"{model_path}, {count} images")
for alpha in (alphas[0], alphas[5], alphas[25], alphas[49]):
    g, h = gradient(model, alpha * images), gradient(perturbed, alpha * images)
    moved = ((g - h).flatten(1).norm(dim=1) / g.flatten(1).norm(dim=1).clamp_min(1e-30)).max().item()
    z = first_conv_output(alpha * images)
    windows = F.relu(z).unfold(2, 2, 2).unfold(3, 2, 2).reshape(*z.shape[:2], -1, 4)
    top = windows.topk(2, dim=-1).values
    gap, positive = top[..., 0] - top[..., 1], top[..., 0] > 0
    exact = (positive & (gap == 0)).float().mean().item()
    near = (positive & (gap > 0) & (gap <= 1e-5 * top[..., 0].abs())).float().mean().item()
    kink = (z.abs() < 1e-6 * z.abs().amax()).float().mean().item()
    print(f"alpha {alpha:.4f}: gradient moves {moved:.3g} (max per-image relative L2) under last-bit weights; first max-pool "
          f"windows with exact positive ties {exact:.1%}, near ties (0 < gap <= 1e-5 relative) {near:.1%}; "
          f"pre-activations at a ReLU kink {kink:.3%}")
