#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need. As root it runs apt-get;
# otherwise it prints the exact command and stops.
set -euo pipefail

packages=(
  cmake g++ make ccache pkg-config
  libtorch-dev libopenblas0-openmp libopencv-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
  qt6-base-dev qt6-svg-dev libqcustomplot-dev
  python3-torch python3-numpy python3-skimage
  dataset-fashion-mnist
  xvfb xauth
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
