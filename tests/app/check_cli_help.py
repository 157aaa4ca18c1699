#!/usr/bin/env python3
"""Every option of every saliency-cli command has a description; the usage lines name the program, not a
path; the top-level help shows examples and the dataset specs; each command's help shows an example.

Usage: check_cli_help.py SALIENCY_CLI   (prints "ok ..." on success)
"""
import re
import subprocess
import sys

cli = sys.argv[1]


def help_of(*command):
    done = subprocess.run([cli, *command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0, f"{command} --help failed: {done.stderr}"
    return done.stdout


top = help_of()
commands = re.findall(r"^  ([a-z][a-z-]+)\s{2,}\S", top.split("Subcommands:")[1], re.M)
assert len(commands) >= 7, f"found only {commands}"
problems = []
for text, name in [(top, "saliency-cli")] + [(help_of(c), c) for c in commands]:
    usage = next((line for line in text.splitlines() if line.startswith("Usage:")), "")
    if not usage.startswith("Usage: saliency-cli"):
        problems.append(f"{name}: usage line {usage!r}")
    lines = text.splitlines()
    in_options = False
    for i, line in enumerate(lines):
        if line.strip() in ("Options:", "OPTIONS:"):
            in_options = True
            continue
        if in_options and (not line.strip() or not line.startswith(" ")):
            in_options = False
        if not in_options or not re.match(r"^  -", line):
            continue
        # "  --name TYPE=default REQUIRED   Description" on one line, or the description alone on the next.
        spec = re.match(r"^  (?:-\w,)?--?[\w-]+(?: [A-Z]+(?:=\S*)?)?(?: REQUIRED)?(?: \.\.\.)?\s*(.*)$", line)
        described = (spec and spec.group(1).strip()) or (i + 1 < len(lines) and re.match(r"^ {20,}\S", lines[i + 1]))
        if not described:
            problems.append(f"{name}: {line.strip()} has no description")
    if "Example" not in text:
        problems.append(f"{name}: no example in --help")
for spec in ("fmnist", "mnist", "cifar10", "imagefolder", "shapes"):
    if spec not in top:
        problems.append(f"top-level --help does not explain the dataset spec {spec}")
assert not problems, "\n".join(problems)
print(f"ok: {len(commands)} commands, every option described")
