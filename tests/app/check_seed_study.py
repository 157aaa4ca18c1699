"""Checks a folder written by `saliency-cli reproduce --seeds`, independently of the program: one complete study
per seed (trained with that seed), and a report whose numbers are the per-seed numbers and their spread."""
import csv
import json
import math
import pathlib
import statistics
import sys

folder = pathlib.Path(sys.argv[1])
seed_count = int(sys.argv[2])
study = json.loads((folder / "study.json").read_text())
seeds = study["seeds"]
assert len(seeds) == seed_count and study["folders"] == [f"seed-{seed}" for seed in seeds], study
names = None
for seed in seeds:
    seed_folder = folder / f"seed-{seed}"
    plan = json.loads((seed_folder / "plan.json").read_text())
    assert plan["seed"] == seed, plan["seed"]
    names = [model["name"] for model in plan["models"]]
    for name in names:
        for method in ("vg", "ig"):
            document = json.loads((seed_folder / "evaluations" / f"{name}.{method}.json").read_text())
            assert document["model"]["seed"] == seed, (name, document["model"]["seed"])
    assert (seed_folder / "report.md").is_file()

claims = json.loads((folder / "claims.json").read_text())
assert claims["seeds"] == seeds
assert [claim["claim"] for claim in claims["claims"]] == ["1", "2", "3"]
compared = 0
for claim in claims["claims"]:
    assert claim["verdict"] in ("reproduced", "direction only", "not reproduced"), claim["verdict"]
    for comparison in claim["comparisons"]:
        differences = []
        for per_seed in comparison["per_seed"]:
            if per_seed["a"] is None or per_seed["b"] is None:
                continue
            assert abs(per_seed["difference"] - (per_seed["a"] - per_seed["b"])) < 1e-12
            differences.append(per_seed["difference"])
        if len(differences) == len(seeds):
            assert abs(comparison["mean"] - statistics.fmean(differences)) < 1e-9, comparison
            if len(differences) > 1:
                assert abs(comparison["sd"] - statistics.stdev(differences)) < 1e-9, comparison
            compared += 1
assert compared > 0, "no comparison was measured in every seed"

rows = list(csv.DictReader(open(folder / "summary.csv")))
assert len(rows) == 2 * len(names) * len(seeds), len(rows)
assert sorted({int(row["seed"]) for row in rows}) == sorted(seeds)
curves = list(csv.DictReader(open(folder / "curves.csv")))
assert curves and all(row["model"].split("/")[0] in study["folders"] for row in curves)
report = (folder / "report.md").read_text()
assert f"across {len(seeds)} seeds" in report and "Student-t" in report
figures = folder / "figures" / "figures.json"
if figures.exists():  # drawn when the program was built with its GUI
    listed = json.loads(figures.read_text())
    assert any(figure["file"].startswith("forest_claim") for figure in listed), listed
    for figure in listed:
        assert (folder / "figures" / figure["file"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", figure["file"]
        assert figure["caption"] in report
print(f"ok: {len(seeds)} seeds, {len(names)} models, {compared} comparisons measured in every seed")
