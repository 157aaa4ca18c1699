#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test through CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/configure-and-build.sh"
cd "${SW_BUILD_DIR:-$root/build}"
ctest --output-on-failure --parallel "${SW_JOBS:-$(nproc)}"
