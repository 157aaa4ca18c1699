#!/usr/bin/python3
"""kill -9 in the middle of a study: every committed answer survives, the database stays sound, and the
participant resumes at the first unanswered trial; at the end each trial is stored exactly once.

Usage: check_kill_resume.py STUDY_SESSION_DRIVER WORK_DIR   (prints "ok ..." on success)"""
import os
import pathlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

driver, work = sys.argv[1], pathlib.Path(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
study = work / "study"
environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
subprocess.run([driver, "--make-study", str(study)], check=True, env=environment, stderr=subprocess.DEVNULL)


def stored(participant="K9"):
    with sqlite3.connect(study / "responses.sqlite") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = connection.execute("SELECT trial, question, answer FROM responses WHERE participant = ? ORDER BY trial, question",
                                  (participant,)).fetchall()
    trials = sorted({trial for trial, _, _ in rows})
    assert trials == list(range(len(trials))), f"stored trials are not 0..k-1: {trials}"
    assert len(rows) == 2 * len(trials), f"a trial without both answers: {rows}"
    return len(trials), rows


session = subprocess.Popen([driver, str(study), "K9"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment)
committed = -1
while committed < 4:
    # Reads until the event (no deadline of its own: CTest's TIMEOUT ends a session that hangs).
    line = session.stdout.readline()
    assert line, f"the session ended early (last: {line!r})"
    if line.startswith("committed"):
        committed = int(line.split()[1])
# Somewhere in the next trial: answered on screen, maybe mid-commit. Not a wait for anything: any moment will do,
# since what is checked below holds wherever the kill lands.
time.sleep(0.06)
session.send_signal(signal.SIGKILL)
session.wait()
after_kill, rows = stored()
assert after_kill >= committed + 1, f"{committed + 1} trials were committed before the kill, {after_kill} survived"

resumed = subprocess.run([driver, str(study), "K9"], capture_output=True, text=True, env=environment, timeout=300)
assert resumed.returncode == 0, resumed.stdout + resumed.stderr
first = resumed.stdout.splitlines()[0]
assert first == f"resumed at {after_kill}", f"expected to resume at trial {after_kill}, got {first!r}"
total, final_rows = stored()
assert final_rows[:len(rows)] == rows, "answers given before the kill changed"
assert "done" in resumed.stdout
print(f"ok: killed after {after_kill} committed trials; all survived, the database is sound, resumed at trial {after_kill}, "
      f"finished {total} trials with each stored once")
