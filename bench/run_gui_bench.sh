#!/usr/bin/env bash
# GUI responsiveness: event-loop stalls during compare, training and curves, and compare-grid latency;
# then the same 3 × 3 grid (VG, IG-50, SmoothGrad-25 of one image) in plain PyTorch for the ratio.
# usage: bench/run_gui_bench.sh [THREADS]
# The reference runs on the Python whose torch matches the build's LibTorch: SW_TORCH_PYTHON, else the venv
# of scripts/install-deps.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SW_BUILD_DIR:-$root/build}
threads=${1:-2}
py=${SW_TORCH_PYTHON:-$("$root/scripts/install-deps.sh" --print-venv)/bin/python}
cmake --build "$build" --target gui_responsiveness_bench >/dev/null
models="$root/resources/models"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
cp "$models/lenet-natural.swm" "$home/lenet-natural-copy.swm"
echo "GUI (3 plain LeNets: natural, adversarial, natural again — a grid the PyTorch reference can rebuild):"
HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config QT_QPA_PLATFORM=offscreen OMP_NUM_THREADS=$threads \
  "$build/bench/gui_responsiveness_bench" --images 20 --train-steps 300 --curve-images 1000 \
  --models "$models/lenet-natural.swm,$models/lenet-adv-eps0.1.swm,$home/lenet-natural-copy.swm" 2>/dev/null
echo "plain PyTorch, the same 3 x 3 grid per image:"
"$py" "$root/bench/compare_grid_reference.py" --models "$models/lenet-natural.swm,$models/lenet-adv-eps0.1.swm,$models/lenet-natural.swm" \
  --threads "$threads" --images 20
