#!/usr/bin/env bash
# Installs what the build, the tests and the demo need:
#   1. Debian packages (as root it runs apt-get; otherwise it prints the exact command and stops);
#   2. LibTorch 2.x: PyPI's torch wheel, pinned in scripts/python-requirements.txt, in a virtual environment
#      in a per-user cache folder keyed by that pin, so every clone (CI's fresh one too) reuses it;
#   3. the reference libraries of the attribution methods (scripts/python-reference-libraries.txt) into it.
# It prints nothing when everything is there. `scripts/install-deps.sh --print-venv` prints the venv's path.
#
# SW_TORCH_VENV overrides where the venv lives. SW_SKIP_TORCH_VENV=1 skips step 2 (a build against Debian's
# libtorch-dev or another LibTorch given by -DCMAKE_PREFIX_PATH / SW_TORCH_DIR; see the README).
# SW_REQUIREMENTS names another requirements file, for a second venv of its own (scripts/test.sh builds against
# the oldest supported wheel, scripts/python-requirements-oldest.txt, that way).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requirements="${SW_REQUIREMENTS:-$root/scripts/python-requirements.txt}"

venv_path() {
  local pin_key
  pin_key=$(grep -vE '^\s*(#|$)' "$requirements" | sha256sum | cut -c1-12)
  local torch_pin
  torch_pin=$(grep -E '^torch==' "$requirements" | cut -d= -f3)
  echo "${SW_TORCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/saliency-workbench/torch-$torch_pin-$pin_key}"
}

if [ "${1:-}" = "--print-venv" ]; then
  venv_path
  exit 0
fi

packages=(
  cmake g++ make ninja-build ccache pkg-config
  libopenblas0-openmp libopencv-dev nlohmann-json3-dev libcli11-dev zlib1g-dev libssl-dev libboost-dev
  qt6-base-dev qt6-svg-dev libqcustomplot-dev libqt6sql6-sqlite
  python3-venv
  dataset-fashion-mnist
  xvfb xauth xdotool x11-utils x11-apps
  chromium firefox-esr python3-websocket
  help2man dpkg-dev file desktop-file-utils appstream lintian
)
# Debian's own LibTorch 1.13 (CPU) and its Python twin: the build the Debian package depends on, and the
# references its tests compare with (same ATen on both sides).
packages+=(libtorch-dev python3-torch python3-numpy python3-skimage python3-scipy)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${SW_SKIP_TORCH_VENV:-0}" = 1 ] && exit 0

venv=$(venv_path)
stamp="$venv/.installed"
if ! { [ -f "$stamp" ] && cmp -s "$stamp" "$requirements"; }; then
  echo "Installing LibTorch from PyPI's torch wheel into $venv (once per pin; several GB)"
  # The stamp is written last: a venv without it (an interrupted download) is wiped and made again.
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements"
  "$venv/bin/python" -c "import torch; assert torch.compiled_with_cxx11_abi(), 'torch wheel without the C++11 ABI'"
  cp "$requirements" "$stamp"
fi

# 3. The attribution methods' reference libraries, into the main venv only (the oldest-wheel venv builds and
# tests the core without them; test_method_references then reports itself skipped). --no-deps: the file pins
# every dependency, so the torch pin cannot move. Their own stamp: changing them costs no torch download.
reference="$root/scripts/python-reference-libraries.txt"
reference_stamp="$venv/.reference-installed"
if [ -z "${SW_REQUIREMENTS:-}" ] && ! cmp -s "$reference_stamp" "$reference" 2>/dev/null; then
  echo "Installing the reference libraries (captum, grad-cam, zennit) into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input --no-deps -r "$reference"
  "$venv/bin/pip" check --disable-pip-version-check
  cp "$reference" "$reference_stamp"
fi
