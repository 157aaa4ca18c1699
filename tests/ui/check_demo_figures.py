"""Checks what `saliency-workbench --render-demo` wrote: real PNG/SVG/PDF files and a curve CSV with a
row per model and noise level, independently of the program (numpy and skimage read them)."""
import csv
import pathlib
import sys

import numpy as np
from skimage import io

folder = pathlib.Path(sys.argv[1])
for name in ["compare_0.png", "compare_0_noise0.10.png", "stability_ssim.png", "window_compare.png"]:
    image = io.imread(folder / name)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100, (name, image.shape)
    assert image[..., :3].std() > 10, f"{name} looks blank"
noisy = io.imread(folder / "compare_0_noise0.10.png")
clean = io.imread(folder / "compare_0.png")
assert clean.shape != noisy.shape or np.abs(clean.astype(int) - noisy.astype(int)).mean() > 1, "noise changed nothing"
assert (folder / "stability_ssim.svg").read_text().lstrip().startswith("<?xml"), "not an SVG"
assert (folder / "stability_ssim.pdf").read_bytes()[:5] == b"%PDF-", "not a PDF"
with open(folder / "stability_ssim.csv") as handle:
    rows = list(csv.DictReader(handle))
models = {row["model"] for row in rows}
assert len(models) == 3, models
assert len(rows) == 3 * 8, len(rows)
for row in rows:
    assert 0 < int(row["n"]) <= 40
    assert float(row["ci_low"]) <= float(row["mean"]) <= float(row["ci_high"])
    assert -1.0 <= float(row["mean"]) <= 1.0
print("ok")
