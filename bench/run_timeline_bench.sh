#!/usr/bin/env bash
# What recording a saliency timeline costs (docs/TIMELINE.md): the same `saliency-cli train` run with and without
# --timeline at the default schedule, alternated ROUNDS times, on real Fashion-MNIST. Prints each run's training
# seconds (the trainer's own clock, without data loading and the final evaluation), the overhead in per cent and the
# cost per snapshot. It also prints the recorder's own clock (each snapshot's `cost_seconds` in timeline.json) and
# the overhead it gives, recording ÷ (with − recording): the rest of the recorded run stands for the run without
# recording. The per-snapshot cost is steady from run to run; the overhead still moves with the training's speed.
# There is no plain-PyTorch peer: the workload is the same program with recording on and off.
# usage: bench/run_timeline_bench.sh [THREADS] [ROUNDS] [RECIPE]   RECIPE: natural (1 epoch) or pgd7 (1 epoch, PGD-7)
# SW_BENCH_DATASET (default fmnist), SW_BENCH_DEVICE (default cpu) and SW_BENCH_TRAIN_FLAGS (e.g. "--epochs 20")
# change the run: scripts/gpu-check.sh measures it on the card, on the bundled subset.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-2}
rounds=${2:-2}
recipe=${3:-natural}
build=${SW_BUILD_DIR:-$root/build}
python=${PYTHON:-python3}
dataset=${SW_BENCH_DATASET:-fmnist}
device=${SW_BENCH_DEVICE:-cpu}
# shellcheck disable=SC2206
extra=(${SW_BENCH_TRAIN_FLAGS:-})
cmake --build "$build" --target saliency-cli >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$recipe" in
  natural) flags=() ;;
  pgd7) flags=(--adv pgd --eps 0.1 --pgd-steps 7) ;;
  *) echo "unknown recipe $recipe (natural or pgd7)" >&2; exit 2 ;;
esac
seconds() { sed -n 's/.*steps, \([0-9.]*\) s).*/\1/p'; }
for round in $(seq "$rounds"); do
  plain=$("$build/app/cli/saliency-cli" train --dataset "$dataset" --device "$device" --threads "$threads" "${flags[@]}" "${extra[@]}" --eval-limit 100 \
            --out "$work/plain.swm" 2>/dev/null | seconds)
  recorded=$("$build/app/cli/saliency-cli" train --dataset "$dataset" --device "$device" --threads "$threads" "${flags[@]}" "${extra[@]}" --eval-limit 100 \
               --out "$work/recorded.swm" --timeline 2>/dev/null | seconds)
  "$python" -c "
import json, sys
plain, recorded = float(sys.argv[1]), float(sys.argv[2])
snapshots = json.load(open(sys.argv[3]))['snapshots']
recording = sum(snapshot['cost_seconds'] for snapshot in snapshots)  # a fresh recording knows every cost
print(f'$recipe on $device round $round: without {plain:.2f} s, with {recorded:.2f} s, overhead {100 * (recorded - plain) / plain:.1f} %, '
      f'{len(snapshots)} snapshots, {1000 * (recorded - plain) / len(snapshots):.0f} ms each; '
      f'recorder clock: {recording:.2f} s in snapshots, overhead {100 * recording / (recorded - recording):.1f} % of the rest, '
      f'{1000 * recording / len(snapshots):.0f} ms each')" "$plain" "$recorded" "$work/recorded.timeline/timeline.json"
done
