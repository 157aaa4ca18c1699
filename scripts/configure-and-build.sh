#!/usr/bin/env bash
# Configures and builds Release into build/ (ccache and a precompiled header keep rebuilds short).
# Extra arguments go to the build step, e.g. a target name: scripts/configure-and-build.sh --target saliency-cli
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${SW_BUILD_DIR:-"$root/build"}
jobs=${SW_JOBS:-$(nproc)}
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${SW_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs" "$@"
