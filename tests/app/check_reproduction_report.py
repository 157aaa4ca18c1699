"""Checks a folder written by `saliency-cli reproduce`, independently of the program: every model has
both evaluations, the CSVs agree with the JSON files, the claims are judged, and the figures are images."""
import csv
import json
import pathlib
import sys

folder = pathlib.Path(sys.argv[1])
model_count = int(sys.argv[2])
plan = json.loads((folder / "plan.json").read_text())
names = [model["name"] for model in plan["models"]]
assert len(names) == model_count, names
for name in names:
    assert (folder / "models" / f"{name}.swm").is_file(), name
    for method in ("vg", "ig"):
        document = json.loads((folder / "evaluations" / f"{name}.{method}.json").read_text())
        assert document["method"]["method"] == method
        assert 0.0 <= document["summary"]["accuracy"] <= 1.0

rows = list(csv.DictReader(open(folder / "summary.csv")))
assert len(rows) == 2 * model_count, len(rows)
for row in rows:
    document = json.loads((folder / "evaluations" / f"{row['model']}.{row['method']}.json").read_text())
    assert abs(float(row["accuracy"]) - document["summary"]["accuracy"]) < 1e-6, row
natural = [row for row in rows if row["role"] == "natural"]
assert len(natural) == 2 and all(float(row["epsilon"]) == 0 for row in natural)

claims = json.loads((folder / "claims.json").read_text())
assert [claim["claim"] for claim in claims] == ["1", "2", "3"]
for claim in claims:
    assert claim["verdict"] in ("reproduced", "partly reproduced", "not reproduced"), claim
    assert claim["evidence"] and "comparisons hold" in claim["evidence"][0]

report = (folder / "report.md").read_text()
runs = (folder / "runs.log").read_text().splitlines()
assert runs and "trained for" in runs[0] and runs[0] in report, runs
for claim in claims:
    assert f"Claim {claim['claim']}: {claim['verdict']}" in report
html = (folder / "report.html").read_text()
assert html.startswith("<!DOCTYPE html>") and "<table>" in html and "<img src=\"figures/" in html

figures = json.loads((folder / "figures" / "figures.json").read_text())
assert any(f["file"].startswith("ssim_vg") for f in figures) and any(f["file"].startswith("overlays_") for f in figures)
for figure in figures:
    data = (folder / "figures" / figure["file"]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", figure
    assert f"figures/{figure['file']}" in report
curves = list(csv.DictReader(open(folder / "curves.csv")))
assert {row["model"] for row in curves} == set(names)
print("ok")
