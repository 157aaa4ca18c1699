#!/usr/bin/env python3
"""`saliency-cli slice` on the three demo models, checked independently with numpy and scikit-image: the line's
t values, the maps' cosine and SSIM to the map at t = 0 (scikit-image's structural_similarity on maps divided by
their largest |value|, window 5, data range 2), the second differences of the explained logit, the logit and
margin at t = 0 from the model itself (the bench reference rebuilds it in plain PyTorch), and the PNGs.

Usage: check_slice.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (prints "ok ..." on success)
"""
import csv
import json
import math
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import torch
from skimage.metrics import structural_similarity

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
sys.path.insert(0, str(root / "bench"))
from reference_architectures import load_native_model  # noqa: E402
from reference_support import read_idx  # noqa: E402

names = ["lenet-natural", "lenet-adv-eps0.1", "lenet-adv-eps0.1-gaussian"]
models = [root / "resources" / "models" / f"{name}.swm" for name in names]
data = root / "resources" / "fashion-mnist-subset"
shutil.rmtree(work, ignore_errors=True)
out = work / "slice"
done = subprocess.run([cli, "slice", "--models", ",".join(map(str, models)), "--dataset", f"fmnist:{data}:test", "--index", "3",
                       "--direction", "random", "--radius", "0.2", "--points", "41", "--threads", "2", "--png", "--out", str(out)],
                      capture_output=True, text=True)
assert done.returncode == 0, done.stdout + done.stderr
assert all(name in done.stdout for name in names), done.stdout

rows = list(csv.DictReader((out / "slice.csv").open()))
assert len(rows) == 3 * 41, len(rows)
geometry = json.loads((out / "geometry.json").read_text())
assert geometry["direction"] == "random" and geometry["points"] == 41 and geometry["method"]["method"] == "vg"
value = lambda text: float(text) if text else math.nan  # noqa: E731
for name, model_file, described in zip(names, models, geometry["geometry"]):
    assert described["model"] == name and all(math.isfinite(described[k]) for k in ("local_curvature", "hessian_norm", "ris", "ros"))
    mine = [row for row in rows if row["model"] == name]
    t = np.array([value(row["t"]) for row in mine])
    assert np.allclose(t, np.linspace(-0.2, 0.2, 41), atol=1e-12, rtol=0) and t[20] == 0.0, t
    maps = np.load(out / f"maps-{name}.npy")
    assert maps.shape == (41, 28, 28) and maps.dtype == np.float32
    flat = maps.reshape(41, -1).astype(np.float64)
    cosine = flat @ flat[20] / (np.linalg.norm(flat, axis=1) * np.linalg.norm(flat[20]))
    assert np.allclose(cosine, [value(row["cosine"]) for row in mine], atol=1e-6), name
    scaled = maps.astype(np.float64) / np.abs(maps).reshape(41, -1).max(1)[:, None, None]
    ssim = [structural_similarity(scaled[20], m, win_size=5, data_range=2.0) for m in scaled]
    assert np.allclose(ssim, [value(row["ssim"]) for row in mine], atol=1e-5), (name, ssim[:3])
    logit = np.array([value(row["explained_logit"]) for row in mine])
    h = 0.4 / 40
    second = (logit[2:] - 2 * logit[1:-1] + logit[:-2]) / h**2
    reported = np.array([value(row["logit_curvature"]) for row in mine])
    assert math.isnan(reported[0]) and math.isnan(reported[-1])
    # The logits are float32 in the file's 9 digits; their rounding, divided by h², bounds the difference.
    assert np.allclose(second, reported[1:-1], atol=4 * 1e-6 * np.abs(logit).max() / h**2, rtol=1e-4), name

    # t = 0 is the image itself: the model's own logits there (rebuilt in plain PyTorch).
    network = load_native_model(str(model_file)).eval()
    image = read_idx(str(data / "t10k-images-idx3-ubyte.gz"))[3].float().div(255).view(1, 1, 28, 28)
    with torch.no_grad():
        logits = network(image)[0].double().numpy()
    predicted = int(logits.argmax())
    assert int(mine[20]["explained_class"]) == predicted == int(mine[20]["prediction"]), name
    margin = logits[predicted] - np.delete(logits, predicted).max()
    assert abs(value(mine[20]["explained_logit"]) - logits[predicted]) < 1e-4 * (1 + abs(logits[predicted])), name
    assert abs(value(mine[20]["margin"]) - margin) < 1e-4 * (1 + abs(margin)), name
    probability = np.exp(logits - logits.max())[predicted] / np.exp(logits - logits.max()).sum()
    assert abs(value(mine[20]["probability"]) - probability) < 1e-5, name
    pngs = sorted(p.name for p in (out / name).glob("*.png"))
    assert pngs == ["overlay_0.png", "overlay_10.png", "overlay_20.png", "overlay_30.png", "overlay_40.png"], pngs
print("ok: 3 models x 41 points checked against numpy, scikit-image and the PyTorch rebuild")
