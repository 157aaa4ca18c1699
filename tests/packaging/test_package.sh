#!/usr/bin/env bash
# Builds the .deb and the .tar.gz with CPack, unpacks the .deb into a temporary root (dpkg-deb -x) and runs the
# unpacked programs there: saliency-cli on the installed demo model and subset, saliency-workbench --render-demo
# offscreen. Validates the desktop entry and AppStream file, runs lintian (errors fail) and checks with
# apt-get --simulate that the package's dependencies resolve. usage: test_package.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
fail() { echo "package: FAILED: $*"; exit 1; }

cmake --build "$build" --target saliency-cli saliency-workbench saliency-figures man-pages package-changelog >/dev/null
(cd "$build" && cpack -G "DEB;TGZ" -B "$work/packages" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/packages/saliency-workbench_*.deb)
tarball=$(ls "$work"/packages/saliency-workbench-*.tar.gz)
echo "built $(basename "$deb") and $(basename "$tarball")"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for needed in libtorch libqt6widgets6 libopencv-core libqcustomplot libc6; do
  grep -q "$needed" <<<"$depends" || fail "Depends lacks $needed"
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
data="$root/usr/share/saliency-workbench"
for file in usr/bin/saliency-cli usr/bin/saliency-workbench usr/libexec/saliency-workbench/saliency-figures \
            usr/share/man/man1/saliency-cli.1.gz \
            usr/share/man/man1/saliency-workbench.1.gz usr/share/doc/saliency-workbench/copyright \
            usr/share/icons/hicolor/scalable/apps/io.github.saliencyworkbench.SaliencyWorkbench.svg \
            usr/share/icons/hicolor/48x48/apps/io.github.saliencyworkbench.SaliencyWorkbench.png; do
  [ -f "$root/$file" ] || fail "$file is not in the package"
done
zcat "$root/usr/share/man/man1/saliency-cli.1.gz" | grep -q -- "--device" || fail "the man page lacks the CLI's options"

# The unpacked CLI on the installed model and subset.
"$root/usr/bin/saliency-cli" --version | tee "$work/version.txt"
grep -q "LibTorch 1\." "$work/version.txt" || fail "the package should run on Debian's LibTorch"
grep -q "Report figures: $root/usr/libexec/saliency-workbench/saliency-figures" "$work/version.txt" \
  || fail "the unpacked CLI does not find its figure helper"
"$root/usr/bin/saliency-cli" accuracy --model "$data/models/lenet-adv-eps0.1-gaussian.swm" --threads 2 \
  --dataset "fmnist:$data/fashion-mnist-subset:test" --json "$work/eval.json" | tee "$work/eval.txt"
grep -qE "accuracy [0-9.]+ %" "$work/eval.txt" || fail "saliency-cli accuracy printed no accuracy"

# The unpacked GUI finds its demo models next to itself (not in the source tree) and renders the demo.
QT_QPA_PLATFORM=offscreen HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" \
  "$root/usr/bin/saliency-workbench" --render-demo "$work/demo" --curve-images 20 | tee "$work/demo.txt"
grep -q "demo models: $data/models" "$work/demo.txt" || fail "the GUI did not use the installed demo models"
ls "$work"/demo/*.png >/dev/null || fail "no demo figures"

desktop-file-validate "$root"/usr/share/applications/*.desktop || fail "desktop-file-validate"
appstreamcli validate --no-net "$root"/usr/share/metainfo/*.metainfo.xml || fail "appstreamcli validate"
lintian --no-tag-display-limit "$deb" >"$work/lintian.txt" 2>&1 || true
cat "$work/lintian.txt"
if grep -q "^E:" "$work/lintian.txt"; then fail "lintian reports errors"; fi

# The .tar.gz is relocatable: unpacked anywhere, the CLI finds the bundled subset through its own folder.
mkdir -p "$work/elsewhere"
tar -xzf "$tarball" -C "$work/elsewhere"
unpacked=$(ls -d "$work"/elsewhere/saliency-workbench-*)
"$unpacked/bin/saliency-cli" --version | grep -q "Report figures: $unpacked/libexec/saliency-workbench/saliency-figures" \
  || fail "the unpacked .tar.gz's CLI does not find its figure helper"
"$unpacked/bin/saliency-cli" accuracy --model "$unpacked/share/saliency-workbench/models/lenet-natural.swm" --threads 2 \
  --dataset "fmnist:$unpacked/share/saliency-workbench/fashion-mnist-subset:test" --json "$work/eval2.json" >/dev/null \
  || fail "the unpacked .tar.gz does not run"

apt-get install --simulate "$deb" >"$work/apt.txt" 2>&1 || { cat "$work/apt.txt"; fail "apt-get --simulate"; }
grep -q "^Inst saliency-workbench\|saliency-workbench is already" "$work/apt.txt" || { cat "$work/apt.txt"; fail "apt-get did not plan the install"; }
echo "package: ok"
