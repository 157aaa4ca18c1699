#!/usr/bin/env python3
"""A reproduction spread over 2 ranks (each model trained and evaluated whole on one rank) gives the same results
as one process: the same summary rows and claim verdicts, and runs.log says how many ranks ran.

Usage: check_reproduce_ranks.py SALIENCY_CLI ONE_RANK_FOLDER TWO_RANK_FOLDER -- REPRODUCE_ARGS...
Prints "ok ..." on success; "SKIP ..." and exit 77 when this build has no data-parallel backend."""
import csv
import json
import pathlib
import shutil
import subprocess
import sys

cli, one, two = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
arguments = sys.argv[sys.argv.index("--") + 1:]
shutil.rmtree(two, ignore_errors=True)
result = subprocess.run([cli, "launch", "--nproc", "2", "--", "reproduce", *arguments, "--out", str(two)], capture_output=True, text=True)
if result.returncode != 0:
    if "no usable c10d" in result.stderr:
        print(f"SKIP: {result.stderr.strip().splitlines()[-1]}")
        sys.exit(77)
    sys.exit(f"FAIL: the 2-rank reproduction exited {result.returncode}:\n{result.stderr[-2000:]}")
assert "rank 1: its models are trained and evaluated" in result.stdout, result.stdout[-1500:]


def rows(folder):
    with open(folder / "summary.csv") as handle:
        return [{k: v for k, v in row.items()} for row in csv.DictReader(handle)]


first, second = rows(one), rows(two)
assert len(first) == len(second) > 0, (len(first), len(second))
for a, b in zip(first, second):
    for key in a:
        if a[key] != b[key]:
            try:
                same = abs(float(a[key]) - float(b[key])) <= 1e-6 * max(1.0, abs(float(a[key])))
            except ValueError:
                same = False
            assert same, f"summary.csv differs in {key}: {a} vs {b}"
verdicts = lambda folder: [(c["claim"], c["verdict"]) for c in json.loads((folder / "claims.json").read_text())]  # noqa: E731
assert verdicts(one) == verdicts(two), (verdicts(one), verdicts(two))
assert "in each of 2 ranks" in (two / "runs.log").read_text()
print(f"ok: 2 ranks give the 1-rank results ({len(first)} summary rows, {len(verdicts(one))} claims)")
