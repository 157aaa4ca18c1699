#!/usr/bin/env bash
# The main job on the embedded default: the workbench on the demo models and Fashion-MNIST.
# With a display it opens the GUI on the demo workspace; without one it renders the demo comparison
# figures and stability curves offscreen into runs/demo/ (or $1) and says where.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/configure-and-build.sh" --target saliency-workbench saliency-cli
gui="${SW_BUILD_DIR:-$root/build}/app/gui/saliency-workbench"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$gui"
fi
out="${1:-$root/runs/demo}"
echo "No display found: rendering the demo figures offscreen."
QT_QPA_PLATFORM=offscreen "$gui" --render-demo "$out"
