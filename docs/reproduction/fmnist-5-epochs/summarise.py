#!/usr/bin/python3
"""Prints the 5-epoch check as a Markdown table from the evaluation JSON files run.sh wrote."""
import json
import pathlib
import sys

folder = pathlib.Path(sys.argv[1])
print("| model | method | accuracy | robust acc. | Gini | log₁₀ RIS | log₁₀ ROS | mean SSIM |")
print("|---|---|---|---|---|---|---|---|")
for model in ("natural", "adv-eps0.1", "adv-eps0.1-gaussian"):
    for method in ("vg", "ig"):
        summary = json.loads((folder / f"{model}.{method}.json").read_text())["summary"]
        ssim = [value for value in summary["ssim"]["mean"] if value is not None]
        print(f"| {model} | {method.upper()} | {100 * summary['accuracy']:.1f} % | {100 * summary['robust_accuracy']:.1f} % | "
              f"{summary['sparseness']['mean']:.3f} | {summary['ris']['log10_mean']:.2f} | {summary['ros']['log10_mean']:.2f} | "
              f"{sum(ssim) / len(ssim):.3f} |")
