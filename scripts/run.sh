#!/usr/bin/env bash
# The main job on the embedded default: trains the paper's LeNet on Fashion-MNIST for one epoch and
# evaluates it. Results go to runs/quickstart/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/configure-and-build.sh" --target saliency-cli
cli="${SW_BUILD_DIR:-$root/build}/app/cli/saliency-cli"
out="$root/runs/quickstart"
mkdir -p "$out"
"$cli" train --dataset fmnist --arch lenet --epochs 1 --out "$out/lenet-natural.swm"
"$cli" eval --model "$out/lenet-natural.swm" --dataset fmnist:test --json "$out/lenet-natural.eval.json"
echo "Model, training log and evaluation are in $out"
