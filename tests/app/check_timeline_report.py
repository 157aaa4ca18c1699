"""Checks a `saliency-cli reproduce --models core --timeline` folder, independently of the program: every core
model recorded a timeline whose last snapshot is its last training step, and the report shows one figure per
recorded method (Gini, RIS and accuracy over training, docs/TIMELINE.md) naming every model it draws."""
import json
import pathlib
import sys

folder = pathlib.Path(sys.argv[1])
plan = json.loads((folder / "plan.json").read_text())
names = [model["name"] for model in plan["models"]]
methods = None
for name in names:
    index = json.loads((folder / "models" / f"{name}.timeline" / "timeline.json").read_text())
    steps = [snapshot["step"] for snapshot in index["snapshots"]]
    assert steps[0] == 0 and steps[-1] == index["total_steps"] and steps == sorted(set(steps)), (name, steps)
    methods = methods or index["options"]["methods"]
    assert index["options"]["methods"] == methods, name

figures = {figure["file"]: figure["caption"] for figure in json.loads((folder / "figures" / "figures.json").read_text())}
report = (folder / "report.md").read_text()
for method in methods:
    file = f"timeline_{method}.png"
    assert file in figures, (file, sorted(figures))
    assert (folder / "figures" / file).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", file
    assert f"figures/{file}" in report, file
    assert all(name in figures[file] for name in names), figures[file]
print(f"ok: {len(names)} core models recorded timelines; the report shows {', '.join(f'timeline_{m}.png' for m in methods)}")
