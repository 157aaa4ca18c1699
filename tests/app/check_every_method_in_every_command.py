#!/usr/bin/env python3
"""Every method a model allows works from every CLI command that takes methods: explain, evaluate, curves and
stimuli. The methods come from `saliency-cli info` (the method table, as the model allows it), so a method added
to the table is covered without touching this test. Checked independently with numpy: maps of the right shape,
finite, not all zero; the evaluation JSON and the curves CSV name the method and hold finite numbers; the stimuli
manifest holds every method.

Usage: check_every_method_in_every_command.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (prints "ok ..." on success)
"""
import csv
import json
import math
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
# The smoothed model: its smoothing block sits between the layers CAMs and LRP rules walk through.
model = root / "resources" / "models" / "lenet-adv-eps0.1-gaussian.swm"
dataset = f"fmnist:{root / 'resources' / 'fashion-mnist-subset'}:test"
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)


def run(*arguments):
    done = subprocess.run([cli, *map(str, arguments)], capture_output=True, text=True)
    assert done.returncode == 0, f"saliency-cli {' '.join(map(str, arguments))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


info = json.loads(run("info", model))
methods = info["methods"]
assert len(methods) >= 13 and {"vg", "ig", "gradcam", "lrp", "occlusion"} <= set(methods), methods
assert not info.get("methods_refused"), info.get("methods_refused")

for method in methods:
    out = work / f"explain-{method}"
    run("explain", "--model", model, "--dataset", dataset, "--indices", "0-2", "--method", method, "--threads", "2", "--out", out)
    maps = np.load(out / "heatmaps.npy")
    assert maps.shape == (3, 28, 28), (method, maps.shape)
    assert np.isfinite(maps).all() and np.abs(maps).max() > 0, f"{method}: maps not finite or all zero"

    report = work / f"evaluate-{method}.json"
    run("evaluate", "--model", model, "--dataset", dataset, "--limit", "6", "--samples", "2", "--noise", "0.05",
        "--metrics", "sparseness,ris,ssim", "--method", method, "--threads", "2", "--json", report)
    text = report.read_text()
    assert f'"{method}"' in text, f"{report.name} does not name the method"
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]
    assert numbers and all(math.isfinite(n) for n in numbers), f"{report.name}: not finite"

    table = work / f"curves-{method}.csv"
    run("curves", "--models", model, "--dataset", dataset, "--limit", "4", "--noise", "0.05", "--measure", "ssim",
        "--method", method, "--threads", "2", "--csv", table)
    rows = list(csv.DictReader(table.open()))
    assert rows and all(row["method"] == method for row in rows), f"{table.name}: {rows[:2]}"
    assert all(math.isfinite(float(row["mean"])) for row in rows), f"{table.name}: not finite"

stimuli = work / "stimuli"
run("stimuli", "--models", model, "--methods", ",".join(methods), "--dataset", dataset, "--images", "2", "--participants", "2",
    "--threads", "2", "--out", stimuli)
manifest = json.loads((stimuli / "private" / "manifest.json").read_text())
shown = {entry["method"] for entry in manifest if not entry.get("attention_check")}
assert shown == set(methods), f"the stimuli show {sorted(shown)}, not {sorted(methods)}"
print(f"ok: {len(methods)} methods through explain, evaluate, curves and stimuli")
