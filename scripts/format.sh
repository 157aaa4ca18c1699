#!/bin/bash
# Lays out every C++ source with clang-format and the repository's .clang-format (clang-format 14, as on
# Debian 12; other versions lay out a few constructs differently). `--check` changes nothing and lists the
# files that differ, exiting 1 if there are any.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' | grep -v '^third_party/')
if [ "$mode" = "--check" ]; then
    different=()
    for file in "${files[@]}"; do
        clang-format --style=file "$file" | cmp -s - "$file" || different+=("$file")
    done
    if [ ${#different[@]} -gt 0 ]; then
        printf 'not laid out as .clang-format says (run scripts/format.sh): %s\n' "${different[@]}"
        exit 1
    fi
    echo "ok: ${#files[@]} files laid out as .clang-format says"
else
    clang-format --style=file -i "${files[@]}"
fi
