#!/usr/bin/env python3
"""Data-parallel training over c10d (Gloo on loopback), checked as docs/SCALING.md promises:
- 2 processes × half batch end with the weights of 1 process × the full batch after 20 steps (within 1e-5),
  naturally and with PGD (the attack's random starts are drawn for the global batch);
- killing one rank mid-run makes the other exit non-zero naming the lost rank; the last checkpoint is intact
  and a relaunch resumes from it;
- bad launches get clear messages: no MASTER_ADDR, WORLD_SIZE=0, a RANK out of range, a port in use, a batch
  that does not divide over the ranks.

Usage: check_data_parallel.py SALIENCY_CLI SOURCE_DIR WORK_DIR   (the venv's Python: torch reads the models)
Prints "ok ..." on success; "SKIP ..." and exit 77 when this build has no data-parallel backend."""
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time

cli, root, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
sys.path.insert(0, str(root / "bench"))
from reference_architectures import read_native_model_file  # noqa: E402

shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
clean_env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")}
data = f"fmnist:{root / 'resources' / 'fashion-mnist-subset'}"
common = ["train", "--dataset", data, "--train-limit", "640", "--batch-size", "32", "--max-steps", "20", "--threads", "1",
          "--seed", "5", "--eval-limit", "16", "--checkpoint-every", "5"]


def run(arguments, env=None, ok=True, timeout=600):
    result = subprocess.run([cli, *arguments], capture_output=True, text=True, env=env or clean_env, timeout=timeout)
    if ok and result.returncode != 0:
        if "no usable c10d" in result.stderr:
            print(f"SKIP: {result.stderr.strip()}")
            sys.exit(77)
        sys.exit(f"FAIL: {' '.join(arguments)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    if not ok and result.returncode == 0:
        sys.exit(f"FAIL: {' '.join(arguments)} should have failed:\n{result.stdout[-1000:]}")
    return result


def largest_difference(a, b):
    _, first = read_native_model_file(str(a))
    _, second = read_native_model_file(str(b))
    assert first.keys() == second.keys()
    return max(float((first[name] - second[name]).abs().max()) for name in first)


notes = []
for name, attack in (("natural", []), ("pgd", ["--adv", "pgd", "--eps", "0.1", "--pgd-steps", "3"])):
    one, two = work / f"{name}-1.swm", work / f"{name}-2.swm"
    run(common + attack + ["--out", str(one)])
    launched = run(["launch", "--nproc", "2", "--", *common, *attack, "--out", str(two)])
    assert "rank 1 of 2: trained 20 steps" in launched.stdout, launched.stdout
    difference = largest_difference(one, two)
    assert difference < 1e-5, f"{name}: 2 ranks × 16 differ from 1 × 32 by {difference}"
    assert '"train_ranks": 2' in run(["info", str(two)]).stdout
    notes.append(f"{name} {difference:.1e}")

# Kill rank 1 mid-run: rank 0 names it, the checkpoint stays whole, and a relaunch resumes from it.
long_run = [arg if arg != "20" else "3000" for arg in common]  # long enough to be killed midway
killed = work / "killed.swm"
launcher = subprocess.Popen([cli, "launch", "--nproc", "2", "--grace", "60", "--", *long_run, "--dist-timeout", "30", "--out", str(killed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env)
checkpoint = pathlib.Path(str(killed) + ".ckpt")


def rank_one_process():
    """Rank 1's process id among the launcher's children, or None."""
    for pid in subprocess.run(["pgrep", "-P", str(launcher.pid)], capture_output=True, text=True).stdout.split():
        try:
            if b"RANK=1" in pathlib.Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                return int(pid)
        except OSError:
            pass
    return None


# Waits for the events (a checkpoint written, rank 1 running), polling; the deadline only turns a hang into a
# message before CTest's TIMEOUT, and is far beyond the seconds this takes on a loaded machine.
deadline = time.monotonic() + 300
rank_one = None
while not (checkpoint.exists() and rank_one):
    assert time.monotonic() < deadline and launcher.poll() is None, "no checkpoint appeared, or rank 1 is not running"
    rank_one = rank_one_process()
    time.sleep(0.2)
os.kill(rank_one, signal.SIGKILL)
stdout, stderr = launcher.communicate(timeout=300)
assert launcher.returncode != 0, "the launch succeeded although a rank was killed"
assert "lost rank 1" in stderr, stderr[-2000:]
assert not killed.exists(), "a model was written by a run that lost a rank"
resumed = run(["launch", "--nproc", "2", "--", *long_run, "--resume", str(checkpoint), "--out", str(killed)])
assert killed.exists() and "rank 1 of 2: trained 3000 steps" in resumed.stdout, resumed.stdout

# Bad launches.
def refused(environment, expected, arguments=None):
    result = run(arguments or common + ["--out", str(work / "bad.swm")], env={**clean_env, **environment}, ok=False, timeout=120)
    assert expected in result.stderr, f"expected '{expected}' in: {result.stderr[-1500:]}"


refused({"WORLD_SIZE": "2", "RANK": "0"}, "MASTER_ADDR")
refused({"WORLD_SIZE": "0"}, "WORLD_SIZE=0: expected 1 or more")
refused({"WORLD_SIZE": "2", "RANK": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29555"}, "RANK=2: expected 0 to 1")
with socket.socket() as taken:
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    refused({"WORLD_SIZE": "2", "RANK": "0", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}, f"MASTER_PORT={port}")
refused({}, "must divide evenly over the 2 ranks",
        ["launch", "--nproc", "2", "--", *[a if a != "32" else "33" for a in common], "--dist-timeout", "10", "--out", str(work / "odd.swm")])
print(f"ok: data-parallel weights match one process (largest differences: {', '.join(notes)}); a killed rank is named, "
      "the checkpoint resumes; bad launches are explained")
