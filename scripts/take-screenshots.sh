#!/usr/bin/env bash
# Walks through the demo under Xvfb (first start with the welcome, the methods help, compare, stability lab,
# training an adversarial + Gaussian model, compare again; then presentation mode at 1280x720 and 1920x1080)
# and saves real screenshots into docs/screenshots/ (or $1). Needs xvfb (install-deps.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/configure-and-build.sh" --target saliency-workbench >/dev/null
out="${1:-$root/docs/screenshots}"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
# A private HOME: the tour trains a model into its own demo workspace, not the user's.
HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config \
  xvfb-run -a -s "-screen 0 1920x1080x24" "${SW_BUILD_DIR:-$root/build}/app/gui/saliency-workbench" --tour "$out"
# Presentation mode on a projector's two usual resolutions, with the demo's three models (a fresh HOME each).
for screen in 1280x720 1920x1080; do
  rm -rf "$home" && mkdir -p "$home"
  HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config \
    xvfb-run -a -s "-screen 0 ${screen}x24" "${SW_BUILD_DIR:-$root/build}/app/gui/saliency-workbench" --tour-presentation "$out"
done
