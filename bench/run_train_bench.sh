#!/usr/bin/env bash
# Runs the C++ training benchmark and the plain-PyTorch reference back to back at the same thread count,
# and prints the throughput ratio per mode.
# usage: bench/run_train_bench.sh [THREADS] [--device D] [--modes M,M] [other train_bench options]
#   Every option after THREADS goes to both sides (e.g. --device cuda --modes natural,pgd7,wrn-28-10).
# The reference runs on the Python whose torch matches the build's LibTorch: SW_TORCH_PYTHON, else the venv
# of scripts/install-deps.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=2
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then threads=$1; shift; fi
build=${SW_BUILD_DIR:-$root/build}
py=${SW_TORCH_PYTHON:-$("$root/scripts/install-deps.sh" --print-venv)/bin/python}
cmake --build "$build" --target train_bench >/dev/null
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
"$build/bench/train_bench" --threads "$threads" "$@" >"$results/ours.jsonl"
"$py" "$root/bench/train_reference.py" --threads "$threads" "$@" >"$results/theirs.jsonl"
echo "saliency-workbench:"; cat "$results/ours.jsonl"
echo "plain PyTorch:"; cat "$results/theirs.jsonl"
"$py" "$root/bench/compare_runs.py" "$results/ours.jsonl" "$results/theirs.jsonl"
