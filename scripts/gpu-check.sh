#!/usr/bin/env bash
# The GPU check: builds the core, the CLI, the CUDA tests and the benchmarks against this machine's PyTorch,
# runs the `cuda` tests, then the GPU benchmarks beside plain PyTorch on the same GPU, and writes what it
# measured to gpu-check/RESULTS.md (or $OUT/RESULTS.md when OUT is set). Meant for a lent NVIDIA machine with
# a CUDA PyTorch in its Python, CMake, a C++ compiler (ninja if present) and no network, no Qt, no OpenCV and
# none of Debian's -dev packages: the header-only libraries the core needs travel with the tree.
#
#   scripts/gpu-check.sh --prepare   on a development machine: copies the header-only dependencies
#                                     (nlohmann-json, CLI11, zlib's headers) into build-gpu-deps/
#   scripts/gpu-check.sh             on the GPU machine (with build-gpu-deps/ carried along)
#
# On a machine without a GPU it still builds everything and runs the tests, which then report as skipped,
# and the benchmarks run on the CPU so the script itself is exercised; the results file says so.
# PYTHON picks the interpreter (default: python3); GPU_CHECK_QUICK=1 shrinks every workload (a smoke run);
# GPU_CHECK_CMAKE_ARGS adds configure options, e.g. to try the script on a development machine as a bare one:
#   GPU_CHECK_CMAKE_ARGS="-DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON -DCMAKE_DISABLE_FIND_PACKAGE_OpenCV=ON"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/build-gpu-deps"

if [ "${1:-}" = "--prepare" ]; then
  rm -rf "$deps"
  mkdir -p "$deps"
  for package in nlohmann-json3-dev libcli11-dev zlib1g-dev; do
    dpkg-query -W "$package" >/dev/null 2>&1 || { echo "gpu-check: $package is not installed here" >&2; exit 1; }
    # Headers and CMake package files only; libraries come from the GPU machine itself.
    dpkg -L "$package" | while read -r file; do
      case "$file" in
        /usr/include/*|/usr/share/cmake/*|/usr/lib/cmake/*|/usr/lib/*/cmake/*)
          if [ -f "$file" ]; then mkdir -p "$deps$(dirname "$file")"; cp -p "$file" "$deps$file"; fi ;;
      esac
    done
  done
  echo "gpu-check: header-only dependencies in $deps ($(du -sh "$deps" | cut -f1)); carry build-gpu-deps with the tree"
  exit 0
fi

started=$(date +%s)
python=${PYTHON:-python3}
out=${OUT:-"$root/gpu-check"}
mkdir -p "$out"
results="$out/RESULTS.md"
log="$out/gpu-check.log"
build="$root/build-gpu"
quick=${GPU_CHECK_QUICK:-0}
: >"$log"

say() { echo "$*" | tee -a "$log"; }
elapsed() { echo $(( $(date +%s) - started )); }

torch_cmake=$("$python" -c "import torch.utils; print(torch.utils.cmake_prefix_path)")
gpu=$("$python" -c "import torch; print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')")
torch_version=$("$python" -c "import torch; print(torch.__version__)")
say "gpu-check: torch $torch_version from $python; GPU: ${gpu:-none}"

cmake_args=(-S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSW_BUILD_GUI=OFF -DSW_BUILD_TESTS=ON
            -DSW_BUILD_BENCH=ON -DSW_TORCH_DIR="$torch_cmake" -DSW_TORCH_PYTHON="$(command -v "$python")")
command -v ninja >/dev/null && [ ! -f "$build/CMakeCache.txt" ] && cmake_args+=(-G Ninja)
# shellcheck disable=SC2206
cmake_args+=(${GPU_CHECK_CMAKE_ARGS:-})
if [ -d "$deps" ]; then
  cmake_args+=(-DCMAKE_PREFIX_PATH="$deps/usr")
  # zlib: the carried headers, and the machine's own runtime library (every Linux has libz.so.1).
  if [ ! -f /usr/include/zlib.h ]; then
    libz=$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 .*x86-64/ {print $NF; exit}')
    [ -n "$libz" ] || libz=$("$python" -c "import zlib, os; print(zlib.__file__)" 2>/dev/null || true)
    cmake_args+=(-DZLIB_INCLUDE_DIR="$deps/usr/include" -DZLIB_LIBRARY="$libz")
  fi
fi
say "== configure and build ($(elapsed) s)"
cmake "${cmake_args[@]}" >>"$log" 2>&1 || { say "configure failed; see $log"; tail -30 "$log"; exit 1; }
cmake --build "$build" --parallel "$(nproc)" --target saliency-cli test_cuda_parity test_cuda_nccl std_binding_canary train_bench explain_bench \
  >>"$log" 2>&1 || { say "build failed; see $log"; tail -40 "$log"; exit 1; }
grep -E "Data-parallel training|LibTorch " "$log" | sed 's/^-- /gpu-check: /' | tee -a "$out/configure-summary.txt"
"$build/app/cli/saliency-cli" --version | tee -a "$log"

say "== cuda tests ($(elapsed) s)"
set +e
# Verbose, so that every check's measured value, bound and reason (and any skip reason) land in the log. The
# libstdc++ binding check runs here too: this machine's torch may be another wheel than CI's.
(cd "$build" && ctest -R "^cuda_|^architecture_std_bindings$" -V --timeout 300) 2>&1 | tee "$out/ctest-cuda.log" | tee -a "$log"
tests_status=${PIPESTATUS[0]}
set -e
# On a GPU machine a skipped check is not a pass: it proves nothing about the card.
if [ -n "$gpu" ] && grep -q "Not Run\|Skipped\|SKIPPED" "$out/ctest-cuda.log"; then
  say "gpu-check: some checks were skipped on a machine with a GPU; that counts as a failure"
  tests_status=1
fi

say "== benchmarks ($(elapsed) s)"
device=cpu
[ -n "$gpu" ] && device=cuda
data="$root/resources/fashion-mnist-subset"
natural_steps=600; pgd_steps=300; arch_steps=20; images=1000; modes=natural,pgd7,wrn-28-10,resnet18-224
if [ "$quick" = 1 ] || [ -z "$gpu" ]; then natural_steps=40; pgd_steps=10; arch_steps=2; images=100; fi
# One WRN-28-10 step is about 2 TFLOP: minutes on a CPU, so a trial run without a GPU leaves the big models out.
[ -z "$gpu" ] && modes=natural,pgd7
model="$root/resources/models/lenet-adv-eps0.1-gaussian.swm"
threads=$(nproc)
train_flags=(--device "$device" --threads "$threads" --data "$data" --modes "$modes"
             --natural-steps "$natural_steps" --pgd-steps "$pgd_steps" --arch-steps "$arch_steps")
explain_flags=(--device "$device" --threads "$threads" --data "$data" --images "$images" --model "$model")
run_pair() {  # name, our command…, then "--", the peer's command…
  local name=$1; shift
  local ours=() theirs=() side=ours
  for word in "$@"; do
    if [ "$word" = "--" ]; then side=theirs; continue; fi
    if [ $side = ours ]; then ours+=("$word"); else theirs+=("$word"); fi
  done
  "${ours[@]}" >"$out/$name.ours.jsonl" 2>>"$log" || say "$name (ours) failed"
  "${theirs[@]}" >"$out/$name.pytorch.jsonl" 2>>"$log" || say "$name (plain PyTorch) failed"
}
run_pair train "$build/bench/train_bench" "${train_flags[@]}" -- "$python" "$root/bench/train_reference.py" "${train_flags[@]}"
run_pair explain "$build/bench/explain_bench" "${explain_flags[@]}" -- "$python" "$root/bench/explain_reference.py" "${explain_flags[@]}"

say "== saliency timeline overhead ($(elapsed) s)"
# The same training with and without --timeline at the default schedule (docs/TIMELINE.md: goal ≤ 5 %), on the subset.
timeline_epochs=20
[ "$quick" = 1 ] || [ -z "$gpu" ] && timeline_epochs=1
SW_BUILD_DIR="$build" PYTHON="$python" SW_BENCH_DATASET="fmnist:$data" SW_BENCH_DEVICE="$device" \
  SW_BENCH_TRAIN_FLAGS="--epochs $timeline_epochs" "$root/bench/run_timeline_bench.sh" "$threads" 2 natural \
  >"$out/timeline.txt" 2>>"$log" || say "timeline benchmark failed"

{
  echo "# GPU check, $(date -u +%Y-%m-%d)"
  echo
  echo "- Device: ${gpu:-no GPU: CUDA tests skipped, benchmarks ran on the CPU with small sizes (a trial of the script, not a measurement)}"
  echo "- PyTorch $torch_version ($python); saliency-workbench built against the same LibTorch"
  echo "- Workloads: LeNet natural $natural_steps steps and PGD-7 $pgd_steps steps (batch 32, Fashion-MNIST subset),"
  echo "  WRN-28-10 (3×32×32, batch 128) and ResNet-18 (3×224×224, batch 64) $arch_steps steps each,"
  echo "  VG, IG-50 and the evaluation protocol on $images images of the subset, model $(basename "$model")"
  echo
  echo "## CUDA checks (one line per measured quantity: value, bound, where the bound comes from)"
  echo
  echo '```'
  grep -E "check |Test +#|tests passed|SKIPPED|FAILED|^ok:|precision:" "$out/ctest-cuda.log" | sed 's/^[0-9]*: //' || true
  echo '```'
  echo
  echo "## Training (throughput; ratio > 1: ours faster)"
  echo
  "$python" "$root/bench/compare_runs.py" "$out/train.ours.jsonl" "$out/train.pytorch.jsonl" || echo "(no comparison)"
  echo
  echo "## Saliency and protocol (seconds; ratio > 1: ours faster)"
  echo
  "$python" "$root/bench/compare_runs.py" "$out/explain.ours.jsonl" "$out/explain.pytorch.jsonl" || echo "(no comparison)"
  echo
  echo "## Saliency timeline: recording's cost (LeNet natural, $timeline_epochs epochs of the subset)"
  echo
  echo '```'
  cat "$out/timeline.txt" 2>/dev/null || echo "(not measured)"
  echo '```'
  echo
  echo "Total time of the check: $(elapsed) s"
} >"$results"
cat "$results"
exit "$tests_status"
