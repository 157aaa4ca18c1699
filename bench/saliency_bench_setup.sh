# Sourced by the saliency benchmarks (run_explain_bench.sh, run_methods_bench.sh): reads the optional positional
# MODEL and THREADS, picks the Python whose torch matches the build's LibTorch (SW_TORCH_PYTHON, else the venv of
# scripts/install-deps.sh), builds explain_bench and the CLI, and trains a one-epoch LeNet when MODEL is not given.
# Sets root, build, model, threads, py and results (a temporary folder removed on exit); leaves the other
# arguments in "$@".
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SW_BUILD_DIR:-$root/build}
model=$build/bench/lenet-fmnist.swm
threads=2
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then model=$1; shift; fi
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then threads=$1; shift; fi
py=${SW_TORCH_PYTHON:-$("$root/scripts/install-deps.sh" --print-venv)/bin/python}
cmake --build "$build" --target explain_bench saliency-cli >/dev/null
if [ ! -f "$model" ]; then
  "$build/app/cli/saliency-cli" train --dataset fmnist --epochs 1 --threads "$threads" --out "$model" >/dev/null 2>&1
fi
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
