#!/usr/bin/env python3
"""`saliency-cli stimuli` on the bundled demo models, checked independently: Python's hashlib recomputes every
SHA-256 in the manifest (files and models), a second run gives byte-identical files, the file names carry no
model or method names, every participant's order shows each stimulus once, and the participant bundle holds only
study.html and the stimuli: no key, manifest, database or report, and none of its files contains a model path,
model file name, method id or SHA-256 of the key.

Usage: check_stimuli.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (prints "ok ..." on success)
"""
import csv
import hashlib
import json
import pathlib
import re
import shutil
import subprocess
import sys

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
models = [root / "resources" / "models" / f"lenet-{name}.swm" for name in ("natural", "adv-eps0.1", "adv-eps0.1-gaussian")]
data = root / "resources" / "fashion-mnist-subset"
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)


def make(out):
    subprocess.run([cli, "stimuli", "--models", ",".join(map(str, models)), "--methods", "vg,ig", "--dataset", f"fmnist:{data}:test",
                    "--images", "4", "--only-correct", "--participants", "6", "--attention-every", "8", "--pixel-size", "6",
                    "--caption", "--seed", "3", "--threads", "2", "--out", str(out)], check=True, capture_output=True, text=True)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


first = make(work / "a")
assert first == make(work / "b"), "the same request gave different files"
sha = lambda b: hashlib.sha256(b).hexdigest()  # noqa: E731
manifest = json.loads(first["private/manifest.json"])
model_hashes = {sha(m.read_bytes()) for m in models}
for entry in manifest:
    assert sha(first["participant/" + entry["file"]]) == entry["sha256"], entry["file"]
    if not entry.get("attention_check"):
        assert entry["model_sha256"] in model_hashes, entry["file"]
        assert entry["prediction"] == entry["label"], "--only-correct let a misclassified image through"
    for revealing in ("natural", "adv", "gaussian", "vg", "ig", "lenet"):
        assert revealing not in entry["file"], entry["file"]
key = json.loads(first["private/key.json"])
assert sorted({(c["model"], c["method"]) for c in key.values()}) == sorted(
    (m.name, method) for m in models for method in ("vg", "ig")), key
rows = list(csv.DictReader(first["orders.csv"].decode().splitlines()))
for participant in {r["participant"] for r in rows}:
    files = [r["file"] for r in rows if r["participant"] == participant and r["attention_check"] == "0"]
    assert len(files) == len(set(files)) == 4 * 6, f"participant {participant}: {len(files)} trials"
bundle = {name[len("participant/"):]: data for name, data in first.items() if name.startswith("participant/")}
assert set(bundle) == {"study.html"} | {entry["file"] for entry in manifest}, sorted(bundle)
secrets = set()
for condition in key.values():
    secrets |= {condition["model"], pathlib.Path(condition["model"]).stem, condition["model_sha256"], condition["badge"]}
secrets |= {str(m) for m in models} | {str(m.parent) for m in models}
for name, data in bundle.items():
    text = data.decode("latin-1").lower()
    for secret in secrets:
        assert secret.lower() not in text, f"participant/{name} holds {secret!r} from the key"
    if name.endswith(".html"):
        for method in ("vg", "ig"):
            assert not re.search(rf"\b{method}\b", text), f"participant/{name} names the method {method!r}"
checked = subprocess.run([cli, "study-check", str(work / "a")], capture_output=True, text=True)
assert checked.returncode == 0 and checked.stdout.startswith("ok:"), checked
print(f"ok: {len(manifest)} files hashed, {len(rows)} trials, byte-identical; the bundle holds {len(bundle)} files and "
      f"none of {len(secrets)} secrets of the key; study-check agrees")
