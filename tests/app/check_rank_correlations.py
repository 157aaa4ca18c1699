#!/usr/bin/env python3
"""`saliency-cli evaluate` with curvature, hessian, RIS and ROS: the summary's rank correlations equal SciPy's
spearmanr over the per-sample pairs where both values are defined, and the readable summary prints them.

Usage: check_rank_correlations.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (prints "ok ..." on success)
"""
import json
import math
import pathlib
import shutil
import subprocess
import sys

from scipy.stats import spearmanr

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
report = work / "evaluation.json"
done = subprocess.run([cli, "evaluate", "--model", str(root / "resources" / "models" / "lenet-adv-eps0.1.swm"), "--dataset",
                       f"fmnist:{root / 'resources' / 'fashion-mnist-subset'}:test", "--limit", "40", "--samples", "2",
                       "--metrics", "curvature,hessian,ris,ros", "--threads", "2", "--json", str(report)],
                      capture_output=True, text=True)
assert done.returncode == 0, done.stdout + done.stderr
evaluation = json.loads(report.read_text())
correlations = evaluation["summary"]["rank_correlations"]
assert set(correlations) == {"curvature_vs_ris", "curvature_vs_ros", "hessian_vs_ris", "hessian_vs_ros"}, correlations
for pair, value in correlations.items():
    geometry, stability = pair.split("_vs_")
    rows = [row for row in evaluation["per_sample"]
            if row.get(stability) is not None and math.isfinite(row[geometry]) and math.isfinite(row[stability])]
    assert value["n"] == len(rows) >= 3, (pair, value, len(rows))
    expected = spearmanr([row[geometry] for row in rows], [row[stability] for row in rows]).statistic
    assert abs(value["spearman"] - expected) < 1e-9, (pair, value["spearman"], expected)
    assert pair in done.stdout, f"the summary does not print {pair}"
print(f"ok: {len(correlations)} rank correlations equal SciPy's over {correlations['curvature_vs_ris']['n']} images")
