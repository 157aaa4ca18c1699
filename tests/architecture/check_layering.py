#!/usr/bin/env python3
"""The layering rules of docs/ARCHITECTURE.md, checked rather than only written.

  rules    core/ never includes Qt; ui/ and app/gui never include torch, ATen or c10 directly.
  headers  the job API (core/jobs/*.h, core/reproduce/*.h, core/study/*.h), the plain configuration headers and every core
           header the GUI includes compile with no torch include path and pull in no torch header at all
           (the compiler's own dependency list is checked, so a torch header found on a system path counts).

  links    a program (saliency-cli) loads no widget library: neither directly nor through another library
           (the dynamic loader's own list, from ldd, is checked).

Prints "ok" and exits 0, or lists each violation (file and include) and exits 1.
"""
import argparse
import pathlib
import re
import subprocess
import sys

# Plain configuration and result types the faces fill in (paths relative to core/).
CONFIGURATION_HEADERS = [
    "data/DatasetSpec.h", "explain/SaliencyConfig.h", "explain/SaliencyMethods.h", "io/CurvesCsv.h", "io/HeatmapStyle.h",
    "io/ReportDocument.h", "metrics/EvaluationMeasures.h", "metrics/ProtocolOptions.h", "models/ModelDescription.h",
    "train/AttackConfig.h", "train/TrainProgress.h", "train/TrainRecipe.h", "util/AtomicFile.h", "util/Feedback.h",
    "util/ListParsing.h", "util/InputError.h", "util/Resources.h", "util/SystemInfo.h",
]
QT_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"](Q[A-Za-z]+|Qt[A-Za-z]*/[^>"]*|qcustomplot\.h)[>"]', re.M)
TORCH_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]((torch|ATen|c10)/[^>"]*)[>"]', re.M)
QUOTED_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
TORCH_DEPENDENCY = re.compile(r'/(torch|ATen|c10)/')


def sources(root, folders):
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".h", ".hpp", ".cpp"):
                yield path


def check_rules(root):
    problems = []
    for path in sources(root, ["core"]):
        for match in QT_INCLUDE.finditer(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(root)}: core/ includes Qt ({match.group(1)})")
    for path in sources(root, ["ui", "app/gui"]):
        for match in TORCH_INCLUDE.finditer(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(root)}: the GUI includes {match.group(1)}")
    return problems


def headers_to_check(root, have_opencv):
    core = root / "core"
    headers = {str(p.relative_to(core)) for p in (core / "jobs").glob("*.h")}
    headers |= {str(p.relative_to(core)) for p in (core / "reproduce").glob("*.h")}
    headers |= {str(p.relative_to(core)) for p in (core / "study").glob("*.h")}
    headers |= set(CONFIGURATION_HEADERS)
    for path in sources(root, ["ui", "app/gui"]):
        for match in QUOTED_INCLUDE.finditer(path.read_text(encoding="utf-8")):
            if (core / match.group(1)).is_file():
                headers.add(match.group(1))
    if not have_opencv:  # these exist only in builds with OpenCV
        headers -= {"jobs/CompareSession.h", "io/OverlayRenderer.h"}
    return sorted(headers)


def check_headers(root, compiler, include_dirs, have_opencv):
    problems = []
    core = root / "core"
    for header in headers_to_check(root, have_opencv):
        command = [compiler, "-std=c++17", "-fsyntax-only", "-M", "-x", "c++", f"-I{core}"]
        command += [f"-isystem{d}" for d in include_dirs] + [str(core / header)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            first = next((line for line in result.stderr.splitlines() if "error" in line), result.stderr.strip()[:300])
            problems.append(f"core/{header}: does not compile without torch: {first}")
            continue
        dependencies = result.stdout.replace("\\\n", " ").split()
        torch = [d for d in dependencies if TORCH_DEPENDENCY.search(d)]
        if torch:
            problems.append(f"core/{header}: pulls in a torch header ({torch[0]})")
    return problems

# The widget libraries: Qt Widgets, and what needs it (Qt Print Support, QCustomPlot).
WIDGET_LIBRARY = re.compile(r"^\s*(libQt6Widgets|libQt6PrintSupport|libqcustomplot)[^ ]*", re.M)


def check_links(program):
    result = subprocess.run(["ldd", str(program)], capture_output=True, text=True)
    if result.returncode != 0:
        return [f"{program}: ldd failed: {result.stderr.strip()[:300]}"]
    return [f"{program.name} loads {match.group(0).strip()}" for match in WIDGET_LIBRARY.finditer(result.stdout)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["rules", "headers", "links"])
    parser.add_argument("--source-dir", required=True, type=pathlib.Path)
    parser.add_argument("--compiler")
    parser.add_argument("--include", action="append", default=[], help="a non-torch include folder (nlohmann, OpenCV)")
    parser.add_argument("--opencv", action="store_true", help="the build has OpenCV")
    parser.add_argument("--program", type=pathlib.Path, help="the program whose libraries `links` checks")
    parser.add_argument("--expect-violation", type=pathlib.Path,
                        help="a program that does load the widgets: `links` must find it, or the check proves nothing")
    args = parser.parse_args()
    root = args.source_dir.resolve()
    if args.mode == "rules":
        problems = check_rules(root)
    elif args.mode == "links":
        problems = check_links(args.program)
        if args.expect_violation and not check_links(args.expect_violation):
            problems.append(f"{args.expect_violation}: loads the widgets, yet the check found no widget library")
    else:
        # The compiler's own folders stay where it looks anyway (`-isystem /usr/include` would break libstdc++).
        include_dirs = [d for entry in args.include for d in entry.split(";") if d and d.rstrip("/") not in ("/usr/include", "/usr/local/include")]
        problems = check_headers(root, args.compiler, include_dirs, args.opencv)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
