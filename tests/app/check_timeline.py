#!/usr/bin/env python3
"""`saliency-cli train --timeline` killed outright (kill -9) and resumed, then `saliency-cli timeline`, checked
independently with numpy: the index stays readable at every moment, each listed snapshot's maps exist, the resumed
run keeps the snapshots up to its checkpoint and redoes the rest (each step once, in order), the stored Gini equals
numpy's Gini of the stored maps (Fashion-MNIST has one channel and VG maps are |gradient|, so map = attribution),
measures.csv equals the index, and the frames and the MP4 are there.

Usage: check_timeline.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (prints "ok ..." on success)
"""
import csv
import json
import math
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import numpy as np

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
data = root / "resources" / "fashion-mnist-subset"
model = work / "run.swm"
timeline = work / "run.timeline"
train = [cli, "train", "--dataset", f"fmnist:{data}", "--epochs", "40", "--batch-size", "32", "--threads", "1", "--device", "cpu",
         "--eval-limit", "100", "--checkpoint-every", "20", "--out", str(model), "--timeline", "--timeline-every", "10",
         "--timeline-held-out", "200"]


def read_index():
    return json.loads((timeline / "timeline.json").read_text())


def check_complete(index):
    steps = [s["step"] for s in index["snapshots"]]
    assert steps == sorted(set(steps)), steps
    for snapshot in index["snapshots"]:
        for method in index["options"]["methods"]:
            maps = np.load(timeline / f"step-{snapshot['step']:08d}.{method}.npy")
            assert maps.shape == (len(index["probe_indices"]), 28, 28) and maps.dtype == np.float32, maps.shape
    return steps


# Killed while it records: whatever the moment, the index is whole and lists only finished snapshots.
first = subprocess.Popen(train, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
deadline = time.monotonic() + 300
while first.poll() is None and time.monotonic() < deadline:
    if (model.parent / "run.swm.ckpt").exists() and (timeline / "timeline.json").exists() and len(read_index()["snapshots"]) >= 6:
        break
    time.sleep(0.02)
first.send_signal(signal.SIGKILL)
first.wait()
assert not model.exists(), "the run finished before it could be killed; make it longer"
before = check_complete(read_index())
assert len(before) >= 6, before

resumed = subprocess.run(train + ["--resume", str(model) + ".ckpt"], capture_output=True, text=True)
assert resumed.returncode == 0, resumed.stdout + resumed.stderr
index = read_index()
steps = check_complete(index)
assert steps[0] == 0 and steps[-1] == index["total_steps"] == 40 * 32, steps
# The run ends by saying what recording cost it: all snapshots in the timeline, this run's seconds of them.
assert f"saliency timeline: {len(steps)} snapshots, " in resumed.stdout and "s of training spent recording" in resumed.stdout, resumed.stdout
assert set(range(0, 1281, 10)) <= set(steps), steps  # every 10th step once, and the epoch ends (every 32nd)
assert {s for s in steps if s % 10} == set(range(32, 1280, 32)) - set(range(0, 1281, 10)), steps

labels = np.array(index["probe_labels"])
for snapshot in index["snapshots"]:
    maps = np.load(timeline / f"step-{snapshot['step']:08d}.vg.npy").reshape(len(labels), -1).astype(np.float64)
    a = np.abs(maps) / np.abs(maps).max(axis=1, keepdims=True)
    a = np.sort(a + 1e-7, axis=1)
    n = a.shape[1]
    gini = ((2 * np.arange(1, n + 1) - n - 1) * a).sum(axis=1) / (n * a.sum(axis=1))
    assert abs(gini.mean() - snapshot["measures"]["vg"]["gini"]) < 1e-6, (snapshot["step"], gini.mean(), snapshot["measures"]["vg"])
    assert len(snapshot["predictions"]) == len(labels) and all(0 < c <= 1 for c in snapshot["confidences"])
last = index["snapshots"][-1]
assert last["held_out_accuracy"] > 0.6, last  # the subset's LeNet learns (an untrained one is near 0.1)

out = work / "export"
exported = subprocess.run([cli, "timeline", str(model), "--method", "vg", "--fps", "8", "--out", str(out)], capture_output=True, text=True)
assert exported.returncode == 0, exported.stdout + exported.stderr
assert "run" in exported.stdout and "Gini" in exported.stdout, exported.stdout
rows = list(csv.DictReader((out / "measures.csv").open()))
assert len(rows) == len(steps) * 2, len(rows)
for row in rows:
    snapshot = next(s for s in index["snapshots"] if s["step"] == int(row["step"]))
    stored = snapshot["measures"][row["method"]]
    for key in ("gini", "ris", "ssim"):
        value = float(row[key]) if row[key] else math.nan
        reference = stored[key] if stored[key] is not None else math.nan
        assert (math.isnan(value) and math.isnan(reference)) or abs(value - reference) <= 1e-5 * max(1, abs(reference)), (row, stored)
    assert abs(float(row["held_out_accuracy"]) - snapshot["held_out_accuracy"]) < 1e-6
    assert snapshot["cost_seconds"] > 0, snapshot
    assert abs(float(row["cost_seconds"]) - snapshot["cost_seconds"]) <= 1e-5 * snapshot["cost_seconds"], (row, snapshot)
    assert abs(float(row["probe_accuracy"]) - np.mean(np.array(snapshot["predictions"]) == labels)) < 1e-6
frames = sorted(p.name for p in (out / "frames").iterdir())
assert frames == [f"step-{s:08d}.png" for s in steps], frames[:5]
video = (out / "timeline.mp4").read_bytes()
assert video[4:8] == b"ftyp" and len(video) > 1000, video[:16]

# Bad input: a damaged index is named; a probe out of range writes nothing.
(timeline / "timeline.json").write_text("{ not json")
damaged = subprocess.run([cli, "timeline", str(model), "--out", str(work / "never")], capture_output=True, text=True)
assert damaged.returncode != 0 and "timeline.json" in damaged.stderr and "damaged" in damaged.stderr, damaged.stderr
assert not (work / "never").exists()
bad_run = [str(work / "bad.swm") if part == str(model) else part for part in train]
refused = subprocess.run(bad_run + ["--timeline-probes", "5,1000000"], capture_output=True, text=True)
assert refused.returncode != 0 and "--timeline-probes 1000000" in refused.stderr, refused.stderr
assert not (work / "bad.swm").exists() and not (work / "bad.timeline").exists()
print(f"ok: killed with {len(before)} snapshots, resumed to {len(steps)}; Gini, CSV, {len(frames)} frames and the MP4 agree")
