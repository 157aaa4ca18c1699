#!/usr/bin/env python3
"""The benchmark's PyTorch peer (bench/reference_architectures.py) rebuilds every bundled demo model, smoothing
block included, and classifies the bundled Fashion-MNIST test images as `saliency-cli eval` does.

Usage: check_bench_reference.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (prints "ok ..." on success)
"""
import json
import pathlib
import subprocess
import sys

import torch

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
sys.path.insert(0, str(root / "bench"))
from reference_architectures import load_native_model  # noqa: E402
from reference_support import read_idx  # noqa: E402

torch.set_num_threads(2)
data = root / "resources" / "fashion-mnist-subset"
images = read_idx(str(data / "t10k-images-idx3-ubyte.gz")).float().div(255).unsqueeze(1)
labels = read_idx(str(data / "t10k-labels-idx1-ubyte.gz")).long()
work.mkdir(parents=True, exist_ok=True)
checked = []
for model_path in sorted((root / "resources" / "models").glob("*.swm")):
    report = work / (model_path.stem + ".json")
    subprocess.run([cli, "eval", "--model", str(model_path), "--dataset", f"fmnist:{data}:test", "--threads", "2",
                    "--json", str(report)], check=True, capture_output=True)
    ours = json.loads(report.read_text())["summary"]["accuracy"]
    model = load_native_model(str(model_path))
    with torch.no_grad():
        theirs = (model(images).argmax(1) == labels).double().mean().item()
    # One image may flip on a near-tie between two logits (different summation order).
    assert abs(ours - theirs) <= 1.0 / len(labels) + 1e-12, f"{model_path.name}: ours {ours}, the reference {theirs}"
    checked.append(f"{model_path.stem} {theirs:.3f}")
assert any("gaussian" in name for name in checked), "no demo model with a smoothing block was checked"
print("ok " + ", ".join(checked))
