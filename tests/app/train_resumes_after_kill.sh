#!/bin/bash
# A training run killed outright (kill -9) resumes from its checkpoint, and its loss log keeps the whole
# history: the steps before the kill, then the resumed ones, each step once and in order. A run stopped with
# Ctrl+C (SIGINT) says how to continue it.
# Usage: train_resumes_after_kill.sh CLI WORK_FOLDER PYTHON
set -u
cli=$1 work=$2 python=$3
rm -rf "$work" && mkdir -p "$work"
model=$work/killed.swm
train=("$cli" train --dataset shapes:512:3 --max-steps 1500 --batch-size 16 --checkpoint-every 25 --threads 1
       --device cpu --eval-limit 64 --out "$model")
"${train[@]}" > "$work/first.log" 2>&1 &
pid=$!
# Waits for the event (a checkpoint and a few log rows), however slow a loaded machine makes the run: the loop
# ends when they are there or when the run itself has ended.
while kill -0 "$pid" 2>/dev/null; do
    rows=$( (wc -l < "$model.train.csv") 2>/dev/null || echo 0)
    [ -f "$model.ckpt" ] && [ "$rows" -ge 4 ] && break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -f "$model" ]; then echo "FAIL: the run finished before it could be killed; make it longer"; exit 1; fi
[ -f "$model.ckpt" ] || { echo "FAIL: no checkpoint after the kill"; cat "$work/first.log"; exit 1; }
"${train[@]}" --resume "$model.ckpt" > "$work/resumed.log" 2>&1 || { echo "FAIL: the resume failed"; cat "$work/resumed.log"; exit 1; }

interrupted=$work/interrupted.swm
"${train[@]/$model/$interrupted}" > "$work/interrupted.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && [ ! -f "$interrupted.ckpt" ]; do sleep 0.05; done
kill -INT "$pid" 2>/dev/null
wait "$pid"
status=$?
[ "$status" -ne 0 ] || { echo "FAIL: an interrupted run exited 0"; cat "$work/interrupted.log"; exit 1; }
grep -qF "To continue, run the same command with --resume $interrupted.ckpt" "$work/interrupted.log" ||
    { echo "FAIL: an interrupted run does not say how to continue"; cat "$work/interrupted.log"; exit 1; }
"$python" - "$model.train.csv" <<'PY'
import csv, sys
steps = [int(row["step"]) for row in csv.DictReader(open(sys.argv[1]))]
assert steps, "the log is empty"
assert steps[0] <= 20, f"the history before the kill is missing: the log starts at step {steps[0]}"
assert all(a < b for a, b in zip(steps, steps[1:])), f"steps repeat or go back: {steps}"
assert steps[-1] == 1500, f"the log ends at step {steps[-1]}, not 1500"
print(f"ok: {len(steps)} log rows from step {steps[0]} to {steps[-1]}")
PY
