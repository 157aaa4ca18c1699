#!/usr/bin/env bash
# Builds the Debian package (and the relocatable .tar.gz) against Debian's own libtorch-dev, so that the
# package depends on Debian's runtime packages; with --install it then installs the .deb with apt-get.
#   scripts/build-package.sh [--install]      packages land in build-debian-torch/packages/
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-debian-torch"
SW_SKIP_TORCH_VENV=1 "$root/scripts/install-deps.sh"
SW_BUILD_DIR="$build" SW_CMAKE_ARGS="-DSW_TORCH_DIR=/usr -DSW_BUILD_BENCH=OFF -DSW_BUILD_GUI_TESTS=OFF ${SW_CMAKE_ARGS:-}" \
  "$root/scripts/configure-and-build.sh" --target saliency-cli saliency-workbench man-pages package-changelog
(cd "$build" && cpack -G "DEB;TGZ" -B "$build/packages")
deb=$(ls "$build"/packages/saliency-workbench_*.deb)
echo "Package: $deb"
if [ "${1:-}" = "--install" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    exec sudo apt-get install -y "$deb"
  fi
  apt-get install -y "$deb"
fi
