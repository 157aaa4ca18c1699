"""The workbench under a real X server, driven from outside as a user drives it (docs/GUI.md, "What is tested").

Starts Xvfb at the given size with no window manager and a fresh HOME, runs the real saliency-workbench on it,
and acts through the X server only (xdotool: keys, pointer, wheel). It judges by what the X server shows (the
top-level windows, their geometry and state; screenshots) and reads one thing from the program: the JSON lines
SW_UI_PROBE writes when something a user would see has happened (the grid finished, a tab is up, a value
changed, a participant's page), which say when to look and where to point.

Checks, each printed as one line:
  - after the first start, after hovering every cell, after F11 in and out twice and after a restart: the main
    window fits the screen, no other top-level window is visible but an intended dialog, and Ctrl+Q ends the
    process;
  - at 1280x720 the demo grid's three rows are fully visible at the first start;
  - in presentation mode the cells grow into the area the grid has (a minimum fraction, bigger than normal);
  - the wheel over an unfocused spin box changes nothing (and does change it once the box has the focus);
  - (with --study) after kill -9 during a participant's session, the next start reopens the study and offers
    to resume that participant.
Screenshots of each stage go to --shots.

usage: check_real_x.py --program SALIENCY_WORKBENCH --screen 1280x720 --work DIR --shots DIR [--cli SALIENCY_CLI]
Prints "ok: ..." and exits 0, or one "FAIL: ..." per failed check and exits 1; 77 without Xvfb or xdotool."""
import argparse
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from xwd_to_png import xwd_to_image  # noqa: E402

# Waits are for events (a window mapped, a probe line written, a process ended) and end as soon as the event
# is there. This bounds only a hang, so the failure says what was awaited before CTest's TIMEOUT (600 s).
EVENT_DEADLINE = 120


class Failure(Exception):
    pass


def is_main(name):
    """The main window's title: "WORKSPACE — DATASET — Saliency Workbench" (dialogs are "Something — Saliency Workbench")."""
    return name.endswith("Saliency Workbench") and name.count("—") != 1


def tool(*args, display, check=True):
    result = subprocess.run(list(args), capture_output=True, text=True, env=dict(os.environ, DISPLAY=display))
    if check and result.returncode != 0:
        raise Failure(f"{' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


class XServer:
    def __init__(self, size):
        read, write = os.pipe()
        self.process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                                        pass_fds=[write], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        number = b""
        with os.fdopen(read, "rb") as pipe:  # Xvfb writes its display number once it accepts clients
            number = pipe.readline().strip()
        if not number:
            raise Failure("Xvfb did not start")
        self.display = ":" + number.decode()
        self.width, self.height = map(int, size.split("x"))

    def stop(self):
        self.process.terminate()
        self.process.wait()

    def windows(self):
        """Visible top-level windows that are not override-redirect (tooltips and menus are): [(id, name, rect)]."""
        listing = tool("xwininfo", "-root", "-children", display=self.display)
        found = []
        for line in listing.splitlines():
            line = line.strip()
            if not line.startswith("0x"):
                continue
            window = line.split()[0]
            info = tool("xwininfo", "-id", window, "-all", display=self.display, check=False)
            if "Map State: IsViewable" not in info or "Override Redirect State: yes" in info:
                continue
            name = line[line.find('"') + 1:line.find('"', line.find('"') + 1)] if '"' in line else ""
            geometry = {key: int(info.split(key)[1].split()[0]) for key in ("Absolute upper-left X:", "Absolute upper-left Y:", "Width:", "Height:")}
            found.append((window, name, (geometry["Absolute upper-left X:"], geometry["Absolute upper-left Y:"], geometry["Width:"],
                                         geometry["Height:"])))
        return found

    def screenshot(self, path):
        raw = subprocess.run(["xwd", "-root", "-silent"], capture_output=True, env=dict(os.environ, DISPLAY=self.display)).stdout
        xwd_to_image(raw).save(path)
        return path


class App:
    """The real program on the X server, with its probe file read as events arrive."""

    def __init__(self, program, x, home, arguments=()):
        self.x = x
        self.probe = home / f"probe-{time.monotonic_ns()}.jsonl"
        environment = dict(os.environ, DISPLAY=x.display, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                           XDG_DATA_HOME=str(home / "data"), XDG_RUNTIME_DIR=str(home / "runtime"), SW_UI_PROBE=str(self.probe),
                           OMP_WAIT_POLICY="PASSIVE")
        environment.pop("QT_QPA_PLATFORM", None)  # the real X server, not offscreen
        (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
        self.process = subprocess.Popen([program, *arguments], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        self.seen = 0

    def events(self):
        if not self.probe.exists():
            return []
        return [json.loads(line) for line in self.probe.read_text().splitlines() if line.strip()]

    def wait_event(self, what, predicate):
        """The first probe event after the ones already seen for which `predicate` holds."""
        end = time.monotonic() + EVENT_DEADLINE
        while time.monotonic() < end:
            events = self.events()
            for index in range(self.seen, len(events)):
                if predicate(events[index]):
                    self.seen = index + 1
                    return events[index]
            if self.process.poll() is not None:
                raise Failure(f"the program ended while waiting for {what}: {self.process.stderr.read().decode()[-600:]}")
            time.sleep(0.05)
        raise Failure(f"no event '{what}' within {EVENT_DEADLINE} s; the last ones: {[e['event'] for e in self.events()[-5:]]}")

    def main_window(self):
        for window, name, rect in self.x.windows():
            if is_main(name):
                return window, rect
        return None, None

    def focus_main(self):
        window, _ = self.main_window()
        if window:
            tool("xdotool", "windowfocus", "--sync", window, display=self.x.display, check=False)

    def keys(self, *keys):
        tool("xdotool", "key", "--delay", "30", *keys, display=self.x.display)

    def click(self, x, y, button=1, count=1):
        tool("xdotool", "mousemove", "--sync", str(x), str(y), "click", "--repeat", str(count), "--delay", "40", str(button),
             display=self.x.display)

    def move(self, x, y):
        tool("xdotool", "mousemove", "--sync", str(x), str(y), display=self.x.display)

    def wait_exit(self, what):
        try:
            return self.process.wait(timeout=EVENT_DEADLINE)
        except subprocess.TimeoutExpired:
            raise Failure(f"{what}: the process is still running")

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def centre(rect):
    return rect[0] + rect[2] // 2, rect[1] + rect[3] // 2


class Checks:
    def __init__(self, x, shots):
        self.x, self.shots, self.failures, self.passed = x, shots, [], []

    def check(self, condition, what, detail=""):
        (self.passed if condition else self.failures).append(what + (f" ({detail})" if detail else ""))
        print(("ok   " if condition else "FAIL ") + what + (f": {detail}" if detail else ""), flush=True)

    def fits_and_alone(self, app, when, dialogs=()):
        """The main window inside the screen, and no other visible top-level window but the named dialogs."""
        windows = self.x.windows()
        main = [w for w in windows if is_main(w[1])]
        self.check(len(main) == 1, f"{when}: one main window", f"{[w[1] for w in windows]}")
        if main:
            x, y, width, height = main[0][2]
            self.check(x >= 0 and y >= 0 and x + width <= self.x.width and y + height <= self.x.height,
                       f"{when}: the main window fits the {self.x.width}x{self.x.height} screen", f"{width}x{height}+{x}+{y}")
        strays = [w[1] or w[0] for w in windows if w not in main and not any(d in w[1] for d in dialogs)]
        self.check(not strays, f"{when}: no other top-level window is visible", f"{strays}")

    def shot(self, name):
        return self.x.screenshot(self.shots / f"{name}-{self.x.width}x{self.x.height}.png")


def wait_for_geometry(app, predicate, what):
    end = time.monotonic() + EVENT_DEADLINE
    while time.monotonic() < end:
        _, rect = app.main_window()
        if rect and predicate(rect):
            return rect
        time.sleep(0.05)
    raise Failure(f"the main window never {what}; it is {app.main_window()[1]}")


def dismiss_welcome(app):
    """Closes the welcome, as a user does (Return on its Start button), and waits until it is gone."""
    welcome = [w for w in app.x.windows() if w[1].startswith("Welcome")]
    if not welcome:
        return
    tool("xdotool", "windowfocus", "--sync", welcome[0][0], display=app.x.display, check=False)
    app.keys("Return")
    end = time.monotonic() + EVENT_DEADLINE
    while any(w[1].startswith("Welcome") for w in app.x.windows()):
        if time.monotonic() > end:
            raise Failure("the welcome did not close on Return")
        time.sleep(0.05)


def cells_use_the_area(event):
    cells, area = event["cells"], event["area"]
    left, top = min(c[0] for c in cells), min(c[1] for c in cells)
    right, bottom = max(c[0] + c[2] for c in cells), max(c[1] + c[3] for c in cells)
    return max((right - left) / area[2], (bottom - top) / area[3])


def first_start_and_presentation(program, x, home, checks):
    app = App(program, x, home)
    try:
        ready = app.wait_event("the demo grid", lambda e: e["event"] == "grid-ready" and e.get("ready", 0) >= 9)
        checks.shot("first-start")
        checks.fits_and_alone(app, "first start", dialogs=("Welcome",))
        if (x.width, x.height) == (1280, 720):
            area = ready["area"]
            inside = all(c[0] >= area[0] and c[1] >= area[1] and c[0] + c[2] <= area[0] + area[2] and c[1] + c[3] <= area[1] + area[3]
                         for c in ready["cells"])
            checks.check(len(ready["cells"]) == 9 and inside, "first start at 1280x720: the demo's three rows are fully visible",
                         f"{len(ready['cells'])} cells, picture side {ready['picture_side']} px, area {area}")
        dismiss_welcome(app)
        checks.fits_and_alone(app, "after the welcome")

        for cell in ready["cells"]:
            app.move(*centre(cell))
        checks.fits_and_alone(app, "after hovering every cell")
        normal_side = ready["picture_side"]

        app.focus_main()
        for round_ in (1, 2):
            app.keys("F11")
            app.wait_event("presentation mode on", lambda e: e["event"] == "presentation" and e["presentation"])
            wait_for_geometry(app, lambda r: r[2] == x.width and r[3] == x.height, "filled the screen in presentation mode")
            layout = app.wait_event("the presentation layout",
                                    lambda e: e["event"] in ("grid-layout", "grid-ready") and e["presentation"] and e["cells"]
                                    and e["picture_side"] > normal_side)
            fraction = cells_use_the_area(layout)
            if round_ == 1:
                checks.shot("presentation")
            checks.check(fraction >= 0.75 and layout["picture_side"] > normal_side,
                         f"presentation mode {round_}: the cells grow into the grid's area",
                         f"{fraction:.0%} of the area's longer use, pictures {layout['picture_side']} px (normal {normal_side} px)")
            app.keys("F11")
            app.wait_event("presentation mode off", lambda e: e["event"] == "presentation" and not e["presentation"])
            try:
                wait_for_geometry(app, lambda r: r[0] >= 0 and r[1] >= 0 and r[0] + r[2] <= x.width and r[1] + r[3] <= x.height,
                                  "fitted the screen again")
            except Failure:
                pass  # reported by the check below, with the geometry
            checks.fits_and_alone(app, f"after F11 in and out ({round_})")

        # The wheel over an unfocused spin box: no value changes. The tab switch after it is a sentinel: once its
        # event is written, the X server has delivered the wheel events before it.
        app.keys("ctrl+3")
        train = app.wait_event("the Train tab", lambda e: e["event"] == "tab" and e["name"] == "Train")
        seed = train["widgets"].get("trainSeed")
        checks.check(seed is not None, "the Train tab shows the seed box")
        if seed:
            app.move(*centre(seed))
            tool("xdotool", "click", "--repeat", "5", "--delay", "40", "4", display=x.display)
            app.keys("ctrl+1")
            app.wait_event("the Compare tab (sentinel)", lambda e: e["event"] == "tab" and e["name"] == "Compare")
            changed = [e for e in app.events() if e["event"] == "value"]
            checks.shot("after-wheel")
            checks.check(not changed, "the wheel over an unfocused spin box changes nothing", f"{changed}")
            app.keys("ctrl+3")
            app.wait_event("the Train tab again", lambda e: e["event"] == "tab" and e["name"] == "Train")
            app.click(*centre(seed))
            tool("xdotool", "click", "--repeat", "2", "--delay", "40", "4", display=x.display)
            focused = app.wait_event("a value change with focus", lambda e: e["event"] == "value")
            checks.check(focused["value"] > 0, "with the focus, the wheel does change it", f"seed {focused['value']}")
            checks.shot("train")

        app.focus_main()
        app.keys("ctrl+q")
        status = app.wait_exit("Ctrl+Q")
        checks.check(True, "Ctrl+Q ends the process", f"exit status {status}")
    finally:
        app.kill()

    # A restart: the saved geometry (and everything else) must fit the screen again.
    again = App(program, x, home)
    try:
        again.wait_event("the demo grid after a restart", lambda e: e["event"] == "grid-ready" and e.get("ready", 0) >= 9)
        checks.fits_and_alone(again, "after a restart", dialogs=("Welcome",))
        checks.shot("restart")
    finally:
        again.kill()


def killed_participant_resumes(program, cli, x, home, work, checks):
    study = work / "study"
    shutil.rmtree(study, ignore_errors=True)
    models = pathlib.Path(program).resolve().parents[3] / "resources" / "models"
    source = pathlib.Path(__file__).resolve().parents[3]
    made = subprocess.run([cli, "stimuli", "--models", f"{source}/resources/models/lenet-natural.swm,{source}/resources/models/lenet-adv-eps0.1.swm",
                           "--methods", "vg", "--dataset", f"fmnist:{source}/resources/fashion-mnist-subset:test", "--images", "2",
                           "--participants", "2", "--threads", "2", "--out", str(study)], capture_output=True, text=True)
    if made.returncode != 0:
        raise Failure(f"could not make a study: {made.stderr}")
    app = App(program, x, home, ["--study", str(study)])
    try:
        started = app.wait_event("the study", lambda e: e["event"] == "started")
        dismiss_welcome(app)
        run = started["widgets"].get("runParticipant")
        checks.check(run is not None, "the study opens in the Study tab", f"tab {started['tab']}")
        if run is None:
            return
        app.click(*centre(run))
        end = time.monotonic() + EVENT_DEADLINE
        while not any(w[1] == "Run participant" for w in x.windows()) and time.monotonic() < end:
            time.sleep(0.05)
        dialog = [w for w in x.windows() if w[1] == "Run participant"]
        if dialog:
            tool("xdotool", "windowfocus", "--sync", dialog[0][0], display=x.display, check=False)
        app.keys("Return")  # Start, with the proposed ID
        app.wait_event("the consent page", lambda e: e["event"] == "participant-page" and e["page"] == "consent")
        app.keys("Return")
        app.wait_event("the instructions", lambda e: e["event"] == "participant-page" and e["page"] == "instructions")
        app.keys("Return")
        for trial in (0, 1):
            app.wait_event(f"trial {trial}", lambda e, t=trial: e["event"] == "participant-page" and e["page"] == "trial" and e["trial"] == t)
            app.keys("5", "5", "Return")
        app.wait_event("trial 2", lambda e: e["event"] == "participant-page" and e["trial"] == 2)
        checks.shot("participant")
    finally:
        app.kill()  # kill -9 in the middle of the session
    again = App(program, x, home)
    try:
        started = again.wait_event("the next start", lambda e: e["event"] == "started")
        offer = started["widgets"].get("resumeParticipant")
        checks.check(started["tab"] == "Study" and offer is not None,
                     "after kill -9 mid-session, the next start reopens the study and offers to resume",
                     f"tab {started['tab']}, resume offer {'shown' if offer else 'missing'}")
        dismiss_welcome(again)
        checks.shot("resume-offer")
        if offer:
            again.click(*centre(offer))
            page = again.wait_event("the resumed session", lambda e: e["event"] == "participant-page")
            checks.check(page["page"] == "resume" and page["trial"] == 2, "Resume continues that participant at the next picture",
                         f"page {page['page']}, trial {page['trial']}")
    finally:
        again.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--program", required=True)
    parser.add_argument("--cli")
    parser.add_argument("--screen", default="1280x720")
    parser.add_argument("--work", required=True, type=pathlib.Path)
    parser.add_argument("--shots", required=True, type=pathlib.Path)
    parser.add_argument("--study", action="store_true", help="also kill a participant's session and check the resume offer")
    args = parser.parse_args()
    for needed in ("Xvfb", "xdotool", "xwininfo", "xwd"):
        if not shutil.which(needed):
            print(f"SKIP: {needed} is not installed (Debian: xvfb, xdotool, x11-utils, x11-apps)")
            return 77
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    args.shots.mkdir(parents=True, exist_ok=True)
    x = XServer(args.screen)
    checks = Checks(x, args.shots)
    try:
        first_start_and_presentation(args.program, x, args.work / "home", checks)
        if args.study and args.cli:
            killed_participant_resumes(args.program, args.cli, x, args.work / "home", args.work, checks)
    except Failure as failure:
        checks.failures.append(str(failure))
        print(f"FAIL {failure}")
    finally:
        x.stop()
    if checks.failures:
        for failure in checks.failures:
            print(f"FAIL: {failure}")
        return 1
    print(f"ok: {len(checks.passed)} checks at {args.screen} under Xvfb; screenshots in {args.shots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
