#!/usr/bin/env bash
# Runs the C++ training benchmark and the plain-PyTorch reference back to back at the same thread count,
# and prints the throughput ratio per mode. usage: bench/run_train_bench.sh [THREADS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-2}
build=${SW_BUILD_DIR:-$root/build}
cmake --build "$build" --target train_bench >/dev/null
ours=$("$build/bench/train_bench" --threads "$threads")
theirs=$(/usr/bin/python3 "$root/bench/train_reference.py" --threads "$threads")
echo "saliency-workbench:"; echo "$ours"
echo "plain PyTorch:"; echo "$theirs"
/usr/bin/python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {r["mode"]: r for r in map(json.loads, sys.argv[1].splitlines())}
theirs = {r["mode"]: r for r in map(json.loads, sys.argv[2].splitlines())}
for mode in ours:
    ratio = ours[mode]["examples_per_second"] / theirs[mode]["examples_per_second"]
    print(f"{mode}: {ours[mode]['examples_per_second']:.0f} vs {theirs[mode]['examples_per_second']:.0f} examples/s -> {ratio:.2f}x")
PY
