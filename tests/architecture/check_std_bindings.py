"""Checks that our programs' references to libstdc++ code bind to libstdc++, never into a torch library.

Some PyTorch wheels export libstdc++'s own code from their libraries (std::filesystem from libtorch.so and
libtorch_cpu.so: pytorch/pytorch#133437). The dynamic linker binds each symbol to the first library in the
load order that defines it, so a program whose load order puts a torch library before libstdc++.so.6 calls
torch's copy; with the 2.11 wheel that copy jumped to address 0 inside std::filesystem::remove_all. The build
names libstdc++ first on every link line (CMakeLists.txt); this check holds every program to it.

usage: check_std_bindings.py [--runtime] [--scan DIR] BINARY... [--expect-violation CANARY]

For each BINARY: every undefined dynamic symbol whose name libstdc++.so.6 defines must resolve, in the
binary's load order (as ldd lists it, which is the dynamic linker's search order), to libstdc++.so.6 itself.
With --runtime the first BINARY is also run under LD_DEBUG=bindings with LD_BIND_NOW=1, and every binding it
makes from its own file is checked the same way (the dynamic linker's own word, not our reading of it).
--scan DIR adds every executable under DIR that loads a torch library (all our programs, tests and benchmarks).
--expect-violation CANARY: a program linked the default way (libstdc++ after LibTorch) that calls
std::filesystem::remove_all; it must be reported (the check can fail), unless no torch library defines the
std::filesystem code it calls (Debian's libtorch 1.13), in which case the planted case is skipped with that reason.

Prints "ok: ..." and exits 0, or "FAIL: ..." per problem and exits 1."""
import os
import re
import subprocess
import sys
import tempfile


def run(arguments, **kwargs):
    return subprocess.run(arguments, capture_output=True, text=True, **kwargs)


def load_order(binary):
    """The shared libraries in the order the dynamic linker searches them: [(soname, path)]."""
    result = run(["ldd", binary])
    libraries = []
    for line in result.stdout.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+(\S+)\s+\(0x", line)
        if match and match.group(2) != "not":
            libraries.append((match.group(1), os.path.realpath(match.group(2))))
    if not libraries:
        raise SystemExit(f"FAIL: ldd lists no libraries for {binary}: {result.stderr.strip()}")
    return libraries


def dynamic_symbols(path, defined):
    """{name: version or None} of the dynamic symbols `path` defines (or, defined=False, leaves undefined)."""
    flags = ["--defined-only"] if defined else ["--undefined-only"]
    result = run(["nm", "-D", *flags, path])
    symbols = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if not parts:
            continue
        kind, symbol = (parts[-2], parts[-1]) if len(parts) >= 2 else ("U", parts[-1])
        if defined and kind in ("U", "w", "v"):
            continue
        name, _, version = symbol.partition("@")
        symbols.setdefault(name, version.lstrip("@") or None)
    return symbols


def matches(reference_version, definition_version):
    """The dynamic linker's rule: an unversioned definition satisfies any reference; otherwise versions must agree."""
    return definition_version is None or reference_version is None or reference_version == definition_version


def is_libstdcxx(path):
    return os.path.basename(path).startswith("libstdc++.so")


_definitions = {}


def definitions(path):
    if path not in _definitions:
        _definitions[path] = dynamic_symbols(path, defined=True)
    return _definitions[path]


def static_violations(binary):
    """(symbol, library it binds to) for each libstdc++ symbol that resolves elsewhere in the load order."""
    order = load_order(binary)
    libstdcxx = next((path for _, path in order if is_libstdcxx(path)), None)
    if libstdcxx is None:
        return [], 0
    ours = definitions(libstdcxx)
    violations, checked = [], 0
    for name, version in dynamic_symbols(binary, defined=False).items():
        if name not in ours:
            continue
        checked += 1
        for _, path in order:
            provided = definitions(path).get(name, "absent")
            if provided != "absent" and matches(version, provided):
                if not is_libstdcxx(path):
                    violations.append((name, path))
                break
    return violations, checked


def runtime_violations(binary):
    """Bindings made from `binary` itself, under LD_DEBUG=bindings with every relocation bound at start."""
    order = load_order(binary)
    libstdcxx = next((path for _, path in order if is_libstdcxx(path)), None)
    ours = definitions(libstdcxx) if libstdcxx else {}
    with tempfile.TemporaryDirectory() as folder:
        environment = dict(os.environ, LD_DEBUG="bindings", LD_BIND_NOW="1", LD_DEBUG_OUTPUT=os.path.join(folder, "ld"),
                           QT_QPA_PLATFORM="offscreen")
        # --version: the program need not do anything; with LD_BIND_NOW every binding happens before main.
        run([binary, "--version"], env=environment, timeout=120, stdin=subprocess.DEVNULL)
        lines = []
        for name in os.listdir(folder):
            with open(os.path.join(folder, name), errors="replace") as handle:
                lines += handle.read().splitlines()
    pattern = re.compile(r"binding file (\S+) \[\d+\] to (\S+) \[\d+\]: normal symbol `([^']+)'")
    real = os.path.realpath(binary)
    violations, seen = [], 0
    for line in lines:
        match = pattern.search(line)
        if not match or os.path.realpath(match.group(1)) != real:
            continue
        symbol, target = match.group(3), match.group(2)
        if symbol in ours:
            seen += 1
            # Data the program copied into itself at link time (vtables, typeinfo: copy relocations) binds to the
            # program, as it must; anything else belongs to libstdc++.
            if not is_libstdcxx(target) and os.path.realpath(target) != real:
                violations.append((symbol, target))
    return violations, seen


def programs_under(folder, skip):
    """The ELF executables under `folder` (a build tree) that load a torch library, except `skip`."""
    found = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if d != "CMakeFiles" and not d.startswith(".")]
        for name in files:
            path = os.path.join(directory, name)
            if os.path.realpath(path) == skip or not os.access(path, os.X_OK) or ".so" in name or os.path.islink(path):
                continue
            with open(path, "rb") as handle:
                if handle.read(4) != b"\x7fELF":
                    continue
            needed = run(["readelf", "-d", path]).stdout
            if re.search(r"\[lib(torch|c10)[^\]]*\.so", needed):
                found.append(path)
    return sorted(found)


def demangle(symbol):
    result = run(["c++filt", symbol])
    return result.stdout.strip() or symbol


def main():
    arguments = sys.argv[1:]
    runtime = "--runtime" in arguments
    arguments = [a for a in arguments if a != "--runtime"]
    canary = None
    if "--expect-violation" in arguments:
        at = arguments.index("--expect-violation")
        canary = arguments[at + 1]
        del arguments[at:at + 2]
    if "--scan" in arguments:
        at = arguments.index("--scan")
        folder = arguments[at + 1]
        del arguments[at:at + 2]
        arguments += [p for p in programs_under(folder, os.path.realpath(canary) if canary else "") if p not in arguments]
    binaries = arguments
    failures, summary = [], []
    total = 0
    for binary in binaries:
        violations, checked = static_violations(binary)
        total += checked
        for symbol, library in violations[:5]:
            failures.append(f"{os.path.basename(binary)}: {demangle(symbol)} binds to {library}, not libstdc++")
        if len(violations) > 5:
            failures.append(f"{os.path.basename(binary)}: and {len(violations) - 5} more")
    summary.append(f"{len(binaries)} programs, {total} libstdc++ references, each resolved to libstdc++ in load order")
    if runtime and binaries:
        violations, seen = runtime_violations(binaries[0])
        for symbol, library in violations[:5]:
            failures.append(f"{os.path.basename(binaries[0])} at run time: {demangle(symbol)} bound to {library}")
        summary.append(f"{os.path.basename(binaries[0])} under LD_DEBUG=bindings: {seen} bindings to libstdc++ symbols, "
                       f"{len(violations)} elsewhere")
    if canary:
        violations, _ = static_violations(canary)
        torch_exports = [path for _, path in load_order(canary) if "torch" in os.path.basename(path) or "c10" in os.path.basename(path)]
        libstdcxx = next((path for _, path in load_order(canary) if is_libstdcxx(path)), None)
        # Only the code the canary calls counts: every C++ library exports a few weak template instances that
        # libstdc++ also defines (Debian's libtorch 1.13 does), which say nothing about std::filesystem.
        planted = {name for name in dynamic_symbols(canary, defined=False) if "filesystem" in name}
        exported = libstdcxx and any(planted & set(definitions(path)) for path in torch_exports)
        if not exported:
            summary.append("planted case skipped: no torch library here defines the std::filesystem code the canary "
                           "calls, so it cannot bind astray")
        elif not any("filesystem" in symbol for symbol, _ in violations):
            failures.append(f"the planted violation {os.path.basename(canary)} (linked with LibTorch before libstdc++) was not "
                            f"reported: the check cannot fail")
        else:
            runtime_found, _ = runtime_violations(canary)
            # What the binding does: the canary removes a small folder tree with the torch library's copy of
            # std::filesystem::remove_all. Some wheels' copies crash (2.11's did); either way it is not ours.
            with tempfile.TemporaryDirectory() as folder:
                os.makedirs(os.path.join(folder, "tree", "inner"))
                open(os.path.join(folder, "tree", "inner", "file"), "w").close()
                ran = run([canary, "--remove", os.path.join(folder, "tree")], timeout=120)
            outcome = f"crashed with signal {-ran.returncode}" if ran.returncode < 0 else f"exited with {ran.returncode}"
            summary.append(f"planted violation found ({len(violations)} symbols, e.g. {demangle(violations[0][0])} in "
                           f"{os.path.basename(violations[0][1])}; at run time {len(runtime_found)}; the canary's remove_all "
                           f"through torch's copy {outcome})")
    for failure in failures:
        print(f"FAIL: {failure}")
    if failures:
        return 1
    print("ok: " + "; ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
