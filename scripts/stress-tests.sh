#!/usr/bin/env bash
# Runs the tests that involve processes, browsers, GUIs, timers or sockets (CTest label `load`) several times
# while other work keeps every core busy, as on CI's shared machines, and reports each test's failures.
# A test that fails under load is a failing test (docs/ARCHITECTURE.md, "Tests").
#
#   scripts/stress-tests.sh [N] [-R REGEX]      N rounds (default 10) over an already built tree
#
# SW_BUILD_DIR picks the build folder (default build/). The load is one busy process per core, at the tests'
# own priority, for the whole run; the tests themselves run two at a time, as scripts/test.sh runs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SW_BUILD_DIR:-"$root/build"}
rounds=10
filter=()
while [ $# -gt 0 ]; do
  case "$1" in
    -R) filter=(-R "$2"); shift 2 ;;
    [0-9]*) rounds=$1; shift ;;
    *) echo "usage: $0 [N] [-R REGEX]" >&2; exit 2 ;;
  esac
done
[ -f "$build/CTestTestfile.cmake" ] || { echo "stress-tests: no built tree at $build (run scripts/test.sh first)" >&2; exit 2; }

load_pids=()
stop_load() { for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_load EXIT
for _ in $(seq "$(nproc)"); do
  (while :; do :; done) &
  load_pids+=($!)
done

declare -A failures=()
logs="$build/Testing/stress"
mkdir -p "$logs"
tests=$(cd "$build" && ctest -N -L load "${filter[@]}" | grep -c "Test *#" || true)
echo "stress-tests: $rounds rounds of $tests tests labelled 'load', with $(nproc) busy processes beside them"
for round in $(seq "$rounds"); do
  started=$(date +%s)
  if (cd "$build" && ctest -L load "${filter[@]}" --parallel 2 --output-on-failure >"$logs/round-$round.log" 2>&1); then
    echo "round $round: all passed ($(( $(date +%s) - started )) s)"
  else
    failed=$(grep -E "^\s+[0-9]+ - " "$logs/round-$round.log" | sed -E 's/^\s+[0-9]+ - ([^ ]+).*/\1/' || true)
    echo "round $round: failed: $(echo "$failed" | tr '\n' ' ')($(( $(date +%s) - started )) s; $logs/round-$round.log)"
    for name in $failed; do failures[$name]=$(( ${failures[$name]:-0} + 1 )); done
  fi
done
if [ ${#failures[@]} -eq 0 ]; then
  echo "stress-tests: $rounds of $rounds loaded rounds passed, no failures"
  exit 0
fi
echo "stress-tests: failures per test over $rounds loaded rounds:"
for name in "${!failures[@]}"; do echo "  $name: ${failures[$name]}"; done
exit 1
