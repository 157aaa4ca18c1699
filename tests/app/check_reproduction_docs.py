#!/usr/bin/env python3
"""docs/REPRODUCTION.md states each committed seed study's claim verdicts as its claims.json has them.

Usage: check_reproduction_docs.py SOURCE_DIR   (prints "ok ..." on success)
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
text = (root / "docs" / "REPRODUCTION.md").read_text(encoding="utf-8")
checked = []
for study in sorted((root / "docs" / "reproduction").glob("*/study.json")):
    folder = study.parent
    assert f"reproduction/{folder.name}/" in text, f"docs/REPRODUCTION.md does not link {folder.name}"
    claims = json.loads((folder / "claims.json").read_text())["claims"]
    for claim in claims:
        row = f"| **{claim['claim']}** | | | **{claim['verdict']}**"
        assert row in text, f"{folder.name}: docs/REPRODUCTION.md should state claim {claim['claim']} as '{claim['verdict']}' ({row})"
        checked.append(f"{folder.name} claim {claim['claim']}: {claim['verdict']}")
assert checked, "no seed study under docs/reproduction"
print("ok " + "; ".join(checked))
