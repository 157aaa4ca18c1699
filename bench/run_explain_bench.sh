#!/usr/bin/env bash
# Saliency benchmark against plain batched PyTorch at the same thread count.
# usage: bench/run_explain_bench.sh [MODEL] [THREADS] [--device D] [other explain_bench options]
#   Trains a one-epoch LeNet when MODEL is not given; every option after the positional arguments goes to both
#   sides (e.g. --device cuda --images 1000).
# The reference runs on the Python whose torch matches the build's LibTorch: SW_TORCH_PYTHON, else the venv
# of scripts/install-deps.sh.
set -euo pipefail
source "$(dirname "$0")/saliency_bench_setup.sh"
"$build/bench/explain_bench" --model "$model" --threads "$threads" "$@" >"$results/ours.jsonl"
"$py" "$root/bench/explain_reference.py" --model "$model" --threads "$threads" "$@" >"$results/theirs.jsonl"
echo "saliency-workbench:"; cat "$results/ours.jsonl"
echo "plain PyTorch:"; cat "$results/theirs.jsonl"
"$py" "$root/bench/compare_runs.py" "$results/ours.jsonl" "$results/theirs.jsonl"
