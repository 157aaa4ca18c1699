#!/usr/bin/env python3
"""Compares a benchmark run of ours with the plain-PyTorch peer's and prints a Markdown table.

    compare_runs.py OURS.jsonl THEIRS.jsonl

Each file holds the JSON lines of one side: bench/train_bench and bench/train_reference.py ({"mode",
"examples_per_second", "steps_per_second", …}) or bench/explain_bench and bench/explain_reference.py
({"workload", "seconds", …}). Rows follow our order, then any the peer has alone. The ratio is > 1 when ours is
faster: our throughput over theirs for training, their seconds over ours for the explain workloads.
Lines that are not JSON objects are skipped. Exits 1 when neither file has a row. Needs only the standard library.
"""
import json
import sys


def read_rows(path):
    """{name: row} in file order; the name is the row's "mode" or "workload"."""
    rows = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(row, dict):
                    continue
                name = row.get("mode", row.get("workload"))
                if name is not None:
                    rows[str(name)] = row
    except OSError as error:
        print(f"compare_runs: {path}: {error.strerror}", file=sys.stderr)
    return rows


def figure(value):
    """Three significant digits at least: 12,345 · 123 · 12.3 · 0.0165."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def training_cell(row):
    text = f"{figure(row['examples_per_second'])} examples/s"
    if "steps_per_second" in row:
        text += f" ({figure(row['steps_per_second'])} steps/s)"
    return text


def seconds_cell(row):
    return f"{row['seconds']:.3f} s"


def describe(row):
    """(cell text, figure where larger is better), or ("—", None) for a missing row."""
    if row is None:
        return "—", None
    if "examples_per_second" in row and "mode" in row:
        return training_cell(row), float(row["examples_per_second"])
    if "seconds" in row:
        seconds = float(row["seconds"])
        return seconds_cell(row), (1.0 / seconds if seconds > 0 else None)
    return "?", None


def main(argv):
    if len(argv) != 3:
        print("usage: compare_runs.py OURS.jsonl THEIRS.jsonl", file=sys.stderr)
        return 2
    ours, theirs = read_rows(argv[1]), read_rows(argv[2])
    names = list(ours) + [name for name in theirs if name not in ours]
    if not names:
        print(f"compare_runs: no benchmark rows in {argv[1]} or {argv[2]}", file=sys.stderr)
        return 1
    training = any("mode" in row for row in list(ours.values()) + list(theirs.values()))
    lines = [f"| {'mode' if training else 'workload'} | ours | theirs | ratio |", "|---|---:|---:|---:|"]
    devices = set()
    for name in names:
        our_row, their_row = ours.get(name), theirs.get(name)
        our_text, our_speed = describe(our_row)
        their_text, their_speed = describe(their_row)
        ratio = f"{our_speed / their_speed:.2f}×" if our_speed and their_speed else "—"
        lines.append(f"| {name} | {our_text} | {their_text} | {ratio} |")
        devices.update((side, row["device"]) for side, row in (("ours", our_row), ("theirs", their_row))
                       if row is not None and "device" in row)
    print("\n".join(lines))
    if len({device for _, device in devices}) > 1:
        sides = ", ".join(f"{side} on {device}" for side, device in sorted(devices))
        print(f"\nThe two sides did not all run on the same device ({sides}): the ratios compare unlike runs.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
