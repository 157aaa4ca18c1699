#!/usr/bin/env bash
# Renders the icon's PNG sizes from its SVG source (needs rsvg-convert, Debian's librsvg2-bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for size in 16 32 48 64 128 256; do
  rsvg-convert -w "$size" -h "$size" "$here/saliency-workbench.svg" -o "$here/saliency-workbench-$size.png"
done
