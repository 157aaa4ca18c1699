#!/usr/bin/env bash
# Every method of the method table against its reference library (Captum, pytorch-grad-cam, Zennit) on the same
# model, the same 1,000 Fashion-MNIST test images and the same thread count, in the same venv.
# usage: bench/run_methods_bench.sh [MODEL] [THREADS] [--methods all|ID,...] [--images N] [--device D]
#   Trains a one-epoch LeNet when MODEL is not given (the same one bench/run_explain_bench.sh uses).
set -euo pipefail
source "$(dirname "$0")/saliency_bench_setup.sh"
methods=all
passed=()
while [ $# -gt 0 ]; do
  if [ "$1" = --methods ]; then methods=$2; shift 2; else passed+=("$1"); shift; fi
done
"$build/bench/explain_bench" --model "$model" --threads "$threads" --methods "$methods" "${passed[@]}" >"$results/ours.jsonl"
"$py" "$root/bench/methods_reference.py" --model "$model" --threads "$threads" --methods "$methods" "${passed[@]}" \
  >"$results/theirs.jsonl"
echo "saliency-workbench:"; cat "$results/ours.jsonl"
echo "reference libraries:"; cat "$results/theirs.jsonl"
"$py" "$root/bench/compare_runs.py" "$results/ours.jsonl" "$results/theirs.jsonl"
