#!/usr/bin/env bash
# Data-parallel scaling on this machine: the paper's LeNet, global batch 64, natural and PGD-7 training, one
# thread per rank, 1 rank and 2 ranks — ours (saliency-cli launch) and plain PyTorch DDP with Gloo
# (bench/data_parallel_reference.py) back to back. Prints examples/s per row. docs/SCALING.md has the numbers.
# usage: bench/run_data_parallel_bench.sh [STEPS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
steps=${1:-300}
build=${SW_BUILD_DIR:-$root/build}
py=${SW_TORCH_PYTHON:-$("$root/scripts/install-deps.sh" --print-venv)/bin/python}
cli=$build/app/cli/saliency-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="fmnist:$root/resources/fashion-mnist-subset"
for mode in natural pgd7; do
  attack=()
  [ "$mode" = pgd7 ] && attack=(--adv pgd --eps 0.1 --pgd-steps 7 --step-size 0.01 --lr 1e-4)
  for ranks in 1 2; do
    "$cli" launch --nproc "$ranks" -- train --dataset "$data" --batch-size 64 --max-steps "$steps" --threads 1 \
      "${attack[@]}" --eval-limit 16 --checkpoint-every 100000 --out "$work/$mode-$ranks.swm" >/dev/null 2>&1
    ours=$("$cli" info "$work/$mode-$ranks.swm" | "$py" -c "import json,sys; m=json.load(sys.stdin)['metrics']; print(round(m['train_steps']*64/m['train_seconds'],1))")
    theirs=$("$py" "$root/bench/data_parallel_reference.py" --mode "$mode" --ranks "$ranks" --steps "$steps" | "$py" -c "import json,sys; print(json.load(sys.stdin)['examples_per_second'])")
    echo "$mode ranks=$ranks  saliency-workbench ${ours} examples/s  plain PyTorch DDP ${theirs} examples/s"
  done
done
