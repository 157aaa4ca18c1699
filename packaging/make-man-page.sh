#!/usr/bin/env bash
# Writes PROGRAM's man page from its own --help (and, for saliency-cli, every command's --help), gzipped.
# usage: make-man-page.sh PROGRAM HELP2MAN GZIP OUTPUT.1.gz
set -euo pipefail
program=$1 help2man=$2 gzip=$3 output=$4
name=$(basename "$program")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$name" in
  saliency-cli)
    summary="train, explain and evaluate image classifiers with gradient saliency maps"
    {
      echo "[COMMANDS]"
      for command in train accuracy info explain evaluate curves reproduce; do
        echo ".SS $command"
        echo ".nf"
        "$program" "$command" --help | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./'
        echo ".fi"
      done
    } >"$work/include" ;;
  *)
    summary="compare gradient saliency maps of natural, adversarial and smoothed classifiers"
    : >"$work/include" ;;
esac
cat >>"$work/include" <<'TEXT'
[SEE ALSO]
The README and docs/ of the source distribution; saliency-cli(1), saliency-workbench(1).
TEXT
"$help2man" --no-info --name="$summary" --include="$work/include" \
  --version-string="$("$program" --version 2>/dev/null | head -1 | awk '{print $NF}')" "$program" >"$work/page.1"
"$gzip" -9nc "$work/page.1" >"$output"
