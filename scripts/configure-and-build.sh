#!/usr/bin/env bash
# Configures and builds Release into build/ (ccache and a precompiled header keep rebuilds short).
# Extra arguments go to the build step, e.g. a target name: scripts/configure-and-build.sh --target saliency-cli
# SW_BUILD_DIR picks the build folder, SW_CMAKE_ARGS adds configure options (e.g. -DSW_TORCH_DIR=/usr for
# Debian's libtorch-dev), SW_JOBS the parallel jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${SW_BUILD_DIR:-"$root/build"}
jobs=${SW_JOBS:-$(nproc)}
# Paths relative to the clone and PCH-aware hashing let every clone (CI's fresh one) share the ccache.
export CCACHE_BASEDIR="$root"
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
generator=()
if [ ! -f "$build_dir/CMakeCache.txt" ] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
# shellcheck disable=SC2086
cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release ${SW_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs" "$@"
