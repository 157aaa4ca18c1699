#!/usr/bin/env bash
# A supplementary check of claims 2 and 3 with five times the quick budget's training (5 epochs, PGD-7),
# for the three models the claims compare. Same seed, recipe and evaluation protocol as the quick run.
# usage: run.sh OUT_DIR [CLI]
set -euo pipefail
out=${1:?output folder}
cli=${2:-build/app/cli/saliency-cli}
mkdir -p "$out"
common=(--dataset fmnist --arch lenet --epochs 5 --seed 0 --threads 2)
adv=(--adv pgd --eps 0.1 --pgd-steps 7 --step-size 0.0357142857 --robust)
"$cli" train "${common[@]}" --out "$out/natural.swm"
"$cli" train "${common[@]}" "${adv[@]}" --out "$out/adv-eps0.1.swm"
"$cli" train "${common[@]}" "${adv[@]}" --smooth gaussian --smooth-after pool1 --out "$out/adv-eps0.1-gaussian.swm"
for model in natural adv-eps0.1 adv-eps0.1-gaussian; do
  for method in vg ig; do
    "$cli" evaluate --model "$out/$model.swm" --dataset fmnist:test --limit 500 --method "$method" --threads 2 \
      --metrics accuracy,robust_accuracy,sparseness,ris,ros,ssim --json "$out/$model.$method.json"
  done
done
