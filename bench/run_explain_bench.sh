#!/usr/bin/env bash
# Saliency benchmark against plain batched PyTorch at the same thread count.
# usage: bench/run_explain_bench.sh [MODEL] [THREADS]   (trains a one-epoch LeNet when MODEL is not given)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SW_BUILD_DIR:-$root/build}
model=${1:-$build/bench/lenet-fmnist.swm}
threads=${2:-2}
cmake --build "$build" --target explain_bench saliency-cli >/dev/null
if [ ! -f "$model" ]; then
  "$build/app/cli/saliency-cli" train --dataset fmnist --epochs 1 --threads "$threads" --out "$model" >/dev/null 2>&1
fi
ours=$("$build/bench/explain_bench" --model "$model" --threads "$threads")
theirs=$(/usr/bin/python3 "$root/bench/explain_reference.py" --model "$model" --threads "$threads")
echo "saliency-workbench:"; echo "$ours"
echo "plain PyTorch:"; echo "$theirs"
/usr/bin/python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {r["workload"]: r for r in map(json.loads, sys.argv[1].splitlines())}
theirs = {r["workload"]: r for r in map(json.loads, sys.argv[2].splitlines())}
for name in ours:
    print(f"{name}: {ours[name]['seconds']:.3f} s vs {theirs[name]['seconds']:.3f} s -> {theirs[name]['seconds'] / ours[name]['seconds']:.2f}x")
PY
