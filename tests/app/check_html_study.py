"""Takes part in a study as a participant would, in headless Chromium driven over the DevTools protocol with real
key events. Only the participant bundle (STUDY/participant) is copied to where the participant opens it, as an
experimenter sends it: start, consent, instructions, every trial (with a reload right after an answer, halfway,
that must resume at the next unanswered trial), then both downloads. Checks the downloaded JSON and CSV against
orders.csv, the private manifest, the stimulus files and the keys pressed, that they carry the participant's ID
and answers only, and that the page fetched nothing over the network.

Usage: check_html_study.py --study STUDY_DIR --chromium /usr/bin/chromium --work WORKDIR [--import-with SALIENCY_CLI]
With --import-with, the downloads are then imported as an experimenter would: the JSON must be accepted, the CSV
of the same participant refused as a duplicate, and study-report must run.
Exits 0 when all is well, 1 on a failure (saying what differs), 77 (CTest's skip code) without Chromium.
Needs only the standard library and websocket-client (Debian: python3-websocket)."""
import argparse
import base64
import csv
import datetime
import hashlib
import json
import math
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

PARTICIPANT, ORDER = "P-html", 1
# The whole check, Chromium's start included: a few seconds when idle. Waits are for events and end as soon as the
# event is there; this deadline only turns a hang into a readable failure before CTest's TIMEOUT (300 s) ends the
# test, so it is generous for a loaded machine.
DEADLINE = time.monotonic() + 270
# What a timed-out wait keeps back from the deadline to ask the page what it shows instead, so that the failure
# says where the participant was stuck, not only that time ran out.
DIAGNOSIS_RESERVE = 10
# One DevTools reply (a key press, a reload, a screenshot) takes milliseconds when idle; a reply missing this long
# means the browser is stuck, and the failure then names the command instead of waiting out the deadline.
REPLY_LIMIT = 120
# Where the participant is, for a failure message (one CI run timed out and said no more than that).
STAGE = ["starting the browser"]
# The top-level keys of a download: the participant's ID and answers, and nothing about the browser or others.
DOWNLOAD_KEYS = {"format", "study_id", "participant", "order", "source", "started_utc", "finished_utc", "responses"}
CSV_HEADER = "participant,order,trial,file,sha256,attention_check,question,answer,response_ms,answered_utc"


class Failure(Exception):
    pass


def doing(what):
    STAGE[0] = what


def check(condition, message):
    if not condition:
        raise Failure(message)


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(77)


def remaining():
    left = DEADLINE - time.monotonic()
    check(left > 0, "the check ran out of its time limit")
    return left


def reply_time(method):
    """How long to wait for the reply to one command: REPLY_LIMIT, or less if the deadline comes first."""
    left = DEADLINE - time.monotonic()
    check(left > 0, f"the check ran out of its time limit waiting for the browser's reply to {method}")
    return min(left, REPLY_LIMIT)


def waiting_time():
    """How long one wait for an event may last: up to the deadline, less what its failure message needs."""
    return max(remaining() - DIAGNOSIS_RESERVE, 0)


class Page:
    """One DevTools websocket session on the page. Every event that arrives while waiting for a reply is
    kept in self.events, so network requests, downloads and script errors can be looked at later."""

    def __init__(self, websocket, url):
        # Chromium refuses websocket clients that send an Origin header it was not told to allow.
        # Connecting to a browser that has announced its port: local, so 30 s is only for a very loaded machine.
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.socket_errors = (OSError, websocket.WebSocketException)  # a hung or crashed Chromium: FAIL, not a traceback
        self.last_id = 0
        self.events = []

    def call(self, method, **params):
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            self.socket.settimeout(reply_time(method))  # a reply is an event: wait for it, within REPLY_LIMIT
            try:
                message = json.loads(self.socket.recv())
            except self.socket_errors as error:
                raise Failure(f"no reply from Chromium to {method} within {REPLY_LIMIT} s: {error!r}")
            if message.get("method") == "Inspector.targetCrashed":
                raise Failure(f"the page's renderer crashed while Chromium handled {method}")
            if "method" in message:
                self.events.append(message)
            elif message.get("id") == self.last_id:
                check("error" not in message, f"{method} failed: {message.get('error')}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        check("exceptionDetails" not in result, f"evaluating {expression!r} threw: {result.get('exceptionDetails')}")
        return result["result"].get("value")

    def errors(self):
        return [event["params"]["exceptionDetails"] for event in self.events if event["method"] == "Runtime.exceptionThrown"]

    def wait_for(self, expression, what):
        """Polls a JavaScript expression until it is truthy (an event, not a time); at the check's deadline says
        what the page shows instead. While a navigation or reload is under way there may be no document.body
        yet: that counts as not yet."""
        end = time.monotonic() + waiting_time()
        while time.monotonic() < end:
            value = self.evaluate(f"(() => {{ try {{ return {expression}; }} catch (e) {{ return false; }} }})()")
            if value:
                return value
            time.sleep(0.03)
        shown = self.evaluate("document.body ? document.body.innerText.slice(0, 400) : '(no body)'")
        raise Failure(f"timed out waiting for {what}; the page shows: {shown!r}; script errors: {self.errors()}")

    def press(self, key, code, key_code, text=None):
        # As Puppeteer does: a keyDown with text makes Chromium produce the keypress/input itself (and drop
        # it when the page cancels the keydown, as a real keyboard would); keys without text are rawKeyDown.
        extra = {"text": text, "unmodifiedText": text} if text else {}
        self.call("Input.dispatchKeyEvent", type="keyDown" if text else "rawKeyDown", key=key, code=code,
                  windowsVirtualKeyCode=key_code, **extra)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=key_code)

    def enter(self):
        self.press("Enter", "Enter", 13, "\r")

    def digit(self, value):
        digit = str(value % 10)  # 10 on a ten-point scale is the 0 key
        self.press(digit, f"Digit{digit}", 48 + int(digit), digit)

    def type_text(self, text):
        for char in text:
            code = f"Key{char.upper()}" if char.isalpha() else f"Digit{char}" if char.isdigit() else ""
            self.press(char, code, ord(char.upper()) if char.isalnum() else 0, char)

    def screen(self):
        return self.evaluate("document.body.dataset.screen || ''")


def visible_trial(page):
    """The 'Trial i of n' the participant sees, as (i, n), or None."""
    match = re.search(r"Trial (\d+) of (\d+)", page.evaluate("document.body.innerText"))
    return (int(match.group(1)), int(match.group(2))) if match else None


def wait_for_trial(page, position, count):
    page.wait_for(f"document.body.dataset.screen === 'trial' && document.body.dataset.ready === '1' && "
                  f"/Trial {position + 1} of {count}\\b/.test(document.body.innerText)",
                  f"'Trial {position + 1} of {count}' with its image loaded")


def planned_answers(trial, questions, attention_check, attention_answer):
    """What the participant answers: the requested answer on attention checks, otherwise a spread of values;
    the optional text question gets a text with a comma and quotes (CSV quoting) on every third trial."""
    answers = []
    for index, question in enumerate(questions):
        if question["type"] == "likert":
            value = attention_answer if attention_check else (trial * 3 + index) % question["points"] + 1
            answers.append(str(value))
        else:
            answers.append(f'seen, "{trial}" ok' if trial % 3 == 0 else "")
    return answers


def send_bundle(study_dir, work):
    """What an experimenter sends: a copy of the participant bundle alone, away from the study folder."""
    sent = work / "sent"
    shutil.rmtree(sent, ignore_errors=True)
    shutil.copytree(study_dir / "participant", sent)
    return sent


def take_part(page, bundle, data, trials, work):
    """Goes through the study with the keyboard, from the bundle's study.html; returns the answers given, per trial."""
    study = data["study"]
    questions = study["questions"]
    count, break_every, halfway = len(trials), study.get("break_every", 0), len(trials) // 2
    doing("opening study.html")
    page.call("Page.navigate", url=f"{(bundle / 'study.html').as_uri()}?participant={PARTICIPANT}&order={ORDER}")
    doing("going through the start, consent and instructions screens")
    page.wait_for("document.body.dataset.screen === 'start'", "the start screen")
    check(page.evaluate("document.getElementById('participant').value") == PARTICIPANT,
          "the participant ID field was not filled in from ?participant=")
    page.enter()
    page.wait_for("document.body.dataset.screen === 'consent'", "the consent screen")
    page.enter()
    page.wait_for("document.body.dataset.screen === 'instructions'", "the instructions")
    page.enter()

    given, breaks, resumed = [], 0, None
    for position, trial in enumerate(trials):
        doing(f"trial {position + 1} of {count}")
        wait_for_trial(page, position, count)
        answers = planned_answers(int(trial["trial"]), questions, trial["attention_check"] == "1", study["attention_answer"])
        if position == 0:
            doing("taking a screenshot of the first trial")
            shot = page.call("Page.captureScreenshot", format="png")["data"]  # for people to look at
            (work / "trial.png").write_bytes(base64.b64decode(shot))
            doing("trial 1: Enter before answering, a wrong answer and Backspace")
            if len(questions) <= 2 and all(q["type"] == "likert" for q in questions):
                overflow = page.evaluate("[document.documentElement.scrollWidth - innerWidth, "
                                         "document.documentElement.scrollHeight - innerHeight]")
                check(overflow[0] <= 0 and overflow[1] <= 0, f"a trial scrolls at 1280x720 (overflow x, y = {overflow})")
            # Enter before answering must not confirm; Backspace must go back to the first question.
            page.enter()
            check(visible_trial(page) == (1, count), "Enter confirmed a trial with no answers")
            if len(questions) > 1 and questions[0]["type"] == "likert":
                page.digit(int(answers[0]) % questions[0]["points"] + 1)  # a wrong answer, then corrected
                page.press("Backspace", "Backspace", 8)
                current = page.evaluate("document.querySelector('.question.current').dataset.question")
                check(current == questions[0]["id"], f"Backspace went to question {current!r}, not back to the first")
        for index, question in enumerate(questions):
            if question["type"] == "likert":
                page.digit(int(answers[index]))
            else:
                focused = page.evaluate("document.activeElement && document.activeElement.tagName")
                check(focused == "INPUT", f"the text question {question['id']!r} did not get the keyboard ({focused})")
                page.type_text(answers[index])
                if index + 1 < len(questions):
                    page.press("Escape", "Escape", 27)
        page.enter()
        given.append(answers)
        done = position + 1
        if done == count:
            break
        if done == halfway:
            # Reloaded the moment the answer is given, before the next trial is even drawn: the answer must be
            # saved by then (the key event returns once the page has handled it).
            doing(f"reloading right after trial {done}'s answer")
            page.call("Page.reload")
            page.wait_for("document.body.dataset.screen === 'resume'", "the welcome-back screen after a reload right after an answer")
            check(f"participant={PARTICIPANT}" in page.evaluate("location.search"), "the reloaded page's address lost the participant")
            page.enter()
            wait_for_trial(page, done, count)
            check(visible_trial(page) == (done + 1, count), f"after the reload the page shows {visible_trial(page)}")
            resumed = done + 1
            continue
        if break_every and done % break_every == 0:
            doing(f"the break after trial {done}")
            page.wait_for("document.body.dataset.screen === 'break'", f"a break after {done} trials")
            breaks += 1
            page.enter()
    doing("waiting for the end screen")
    page.wait_for("document.body.dataset.screen === 'end'", "the end screen")
    return given, breaks, resumed


def download_both(page, downloads, base):
    """J, then C once the JSON is saved, as a participant who sees the first download arrive."""
    saved = []
    for key, name in (("j", base + ".json"), ("c", base + ".csv")):
        doing(f"downloading {name}")
        page.press(key, f"Key{key.upper()}", ord(key.upper()), key)
        saved.append(wait_for_download(page, downloads, name))
    return saved


def wait_for_download(page, downloads, name):
    end = time.monotonic() + waiting_time()
    while time.monotonic() < end:
        page.evaluate("1")  # lets DevTools events (download progress) arrive
        states = [event["params"].get("state") for event in page.events if event["method"] == "Browser.downloadProgress"]
        check("canceled" not in states, f"Chromium canceled a download (waiting for {name})")
        if (downloads / name).is_file() and not any(path.name.endswith(".crdownload") for path in downloads.iterdir()):
            return downloads / name
        time.sleep(0.1)
    begun = [event["params"].get("suggestedFilename") for event in page.events if event["method"] == "Browser.downloadWillBegin"]
    raise Failure(f"{name} was not downloaded: Chromium began {begun or 'no downloads'}, "
                  f"the folder holds {sorted(os.listdir(downloads))}")


def parse_utc(text, what):
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    except (TypeError, ValueError):
        raise Failure(f"{what} is not an ISO-8601 UTC time: {text!r}")


def check_responses(json_path, csv_path, data, trials, given, manifest, bundle):
    document = json.loads(json_path.read_text())
    check(set(document) == DOWNLOAD_KEYS, f"the download carries {sorted(set(document) - DOWNLOAD_KEYS)} beyond the ID and answers "
                                          f"(or lacks {sorted(DOWNLOAD_KEYS - set(document))})")
    expected_top = {"format": "saliency-workbench-responses/1", "study_id": data["study_id"],
                    "participant": PARTICIPANT, "order": ORDER, "source": "html"}
    for key, value in expected_top.items():
        check(document.get(key) == value, f"JSON {key} is {document.get(key)!r}, expected {value!r}")
    check(parse_utc(document["started_utc"], "started_utc") <= parse_utc(document["finished_utc"], "finished_utc"),
          "started_utc is after finished_utc")

    questions = data["study"]["questions"]
    rows = document["responses"]
    expected = [(int(trial["trial"]), trial["file"], trial["attention_check"] == "1", question["id"], given[t][q])
                for t, trial in enumerate(trials) for q, question in enumerate(questions)]
    check(len(rows) == len(expected), f"{len(rows)} responses, expected {len(expected)} (trials x questions)")
    disk_sha = {}
    for row, want in zip(rows, expected):
        got = (row["trial"], row["file"], row["attention_check"], row["question"], row["answer"])
        check(got == want, f"response {got} differs from what was shown and pressed: {want}")
        if row["file"] not in disk_sha:
            disk_sha[row["file"]] = hashlib.sha256((bundle / row["file"]).read_bytes()).hexdigest()
        check(row["sha256"] == manifest.get(row["file"]) == disk_sha[row["file"]],
              f"{row['file']}: sha256 {row['sha256']} vs manifest {manifest.get(row['file'])} vs file {disk_sha[row['file']]}")
        check(isinstance(row["response_ms"], (int, float)) and math.isfinite(row["response_ms"]) and row["response_ms"] > 0,
              f"trial {row['trial']}: response_ms {row['response_ms']!r} is not a positive number")
        parse_utc(row["answered_utc"], f"trial {row['trial']} answered_utc")

    text = csv_path.read_text()
    check(text.split("\n", 1)[0] == CSV_HEADER, f"CSV header is {text.splitlines()[0]!r}")
    check("\r" not in text and text.endswith("\n"), "CSV lines must end in \\n")
    csv_rows = list(csv.DictReader(text.splitlines(keepends=True)))
    check(len(csv_rows) == len(rows), f"the CSV has {len(csv_rows)} rows, the JSON {len(rows)}")
    for index, (line, row) in enumerate(zip(csv_rows, rows)):
        want = {"participant": PARTICIPANT, "order": str(ORDER), "trial": str(row["trial"]), "file": row["file"],
                "sha256": row["sha256"], "attention_check": "1" if row["attention_check"] else "0",
                "question": row["question"], "answer": row["answer"], "answered_utc": row["answered_utc"]}
        differs = {key: (line[key], value) for key, value in want.items() if line[key] != value}
        check(not differs and float(line["response_ms"]) == row["response_ms"],
              f"CSV row {index + 1} differs from the JSON: {differs or ('response_ms', line['response_ms'], row['response_ms'])}")
    return len(rows)


def read_study(study_dir):
    """The page's embedded data, order ORDER's trials from orders.csv (checked to be the page's) and the private
    manifest's file → SHA-256: what a participant run is checked against, in either browser."""
    html = (study_dir / "participant" / "study.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script id="study-data" type="application/json">(.*?)</script>', html, re.S)
    check(embedded, "study.html has no study-data script element")
    data = json.loads(embedded.group(1))
    trials = sorted((row for row in csv.DictReader((study_dir / "orders.csv").read_text().splitlines())
                     if row["participant"] == str(ORDER)), key=lambda row: int(row["trial"]))
    check(trials, f"orders.csv has no order {ORDER}")
    check(len(data["orders"]) > ORDER and [t["file"] for t in data["orders"][ORDER]] == [t["file"] for t in trials],
          f"study.html's order {ORDER} differs from orders.csv's")
    manifest = {entry["file"]: entry["sha256"] for entry in json.loads((study_dir / "private" / "manifest.json").read_text())}
    return data, trials, manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--study", required=True, type=pathlib.Path)
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--work", required=True, type=pathlib.Path)
    parser.add_argument("--import-with", help="saliency-cli: import the downloads into the study and report")
    args = parser.parse_args()
    chromium = shutil.which(args.chromium)
    if not chromium:
        skip(f"no Chromium at {args.chromium}")
    try:
        import websocket
    except ImportError:
        skip("the Python module websocket (Debian: python3-websocket) is missing")

    study_dir = args.study.resolve()
    data, trials, manifest = read_study(study_dir)

    work = args.work.resolve()
    profile, downloads = work / "profile", work / "downloads"
    for folder in (profile, downloads):
        shutil.rmtree(folder, ignore_errors=True)  # a fresh profile: no saved progress, no stale port file
        folder.mkdir(parents=True)
    log = open(work / "chromium.log", "w")
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
                                f"--user-data-dir={profile}", "--no-first-run", "--window-size=1280,720", "about:blank"],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    page = None
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + waiting_time()
        while not port_file.exists() or not port_file.read_text().strip():
            check(browser.poll() is None, f"Chromium exited early; see {work / 'chromium.log'}")
            check(time.monotonic() < end, f"Chromium opened no DevTools port before the deadline; see {work / 'chromium.log'}")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=remaining()))
        target = next((t for t in targets if t["type"] == "page"), None)
        check(target, f"Chromium shows no page: {targets}")
        page = Page(websocket, target["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Network"):
            page.call(f"{domain}.enable")
        page.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads), eventsEnabled=True)
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=720, deviceScaleFactor=1, mobile=False)

        bundle = send_bundle(study_dir, work)
        given, breaks, resumed = take_part(page, bundle, data, trials, work)
        base = f"responses-{re.sub(r'[^A-Za-z0-9_-]', '_', PARTICIPANT)}-{data['study_id'][:8]}"
        json_path, csv_path = download_both(page, downloads, base)
        doing("checking the downloads")
        rows = check_responses(json_path, csv_path, data, trials, given, manifest, bundle)

        check(not page.errors(), f"the page threw: {page.errors()}")
        urls = [event["params"]["request"]["url"] for event in page.events if event["method"] == "Network.requestWillBeSent"]
        remote = [url for url in urls if not url.startswith(("file:", "data:", "blob:"))]
        check(not remote, f"the page requested something over the network: {remote}")
        doing("importing the downloads")
        imported = import_downloads(args.import_with, study_dir, json_path, csv_path) if args.import_with else ""
        print(f"ok: {PARTICIPANT} took order {ORDER} from a copy of the bundle alone: {len(trials)} trials x "
              f"{len(data['study']['questions'])} questions = {rows} responses, {breaks} breaks, a reload right after an answer "
              f"resumed at trial {resumed}; JSON and CSV agree and carry the ID and answers only; "
              f"{len(urls)} requests, all local; screenshot {work / 'trial.png'}{imported}")
        return 0
    except Failure as failure:
        raise Failure(f"{failure}\n{log_tail(work / 'chromium.log')}") from None
    finally:
        if page:
            page.socket.close()
        stop(browser)
        log.close()


def log_tail(path, lines=8):
    """The end of the browser's log, without the D-Bus complaints every run on these machines prints."""
    text = [line for line in path.read_text(errors="replace").splitlines() if "dbus" not in line and line.strip()]
    return f"{path} ends with:\n" + "\n".join(f"  {line}" for line in text[-lines:])


def import_downloads(cli, study_dir, json_path, csv_path):
    """The experimenter's side: the JSON goes into responses.sqlite, the CSV (the same participant) is refused."""
    database = study_dir / "responses.sqlite"
    if database.exists():
        database.unlink()  # a rerun of this test imports afresh
        for suffix in ("-wal", "-shm"):
            pathlib.Path(str(database) + suffix).unlink(missing_ok=True)
    first = subprocess.run([cli, "study-import", str(study_dir), str(json_path)], capture_output=True, text=True)
    check(first.returncode == 0 and f"imported {PARTICIPANT}" in first.stdout, f"study-import refused the download: {first.stderr}")
    again = subprocess.run([cli, "study-import", str(study_dir), str(csv_path)], capture_output=True, text=True)
    check(again.returncode != 0 and "already in the database" in again.stderr, f"a duplicate import was not refused: {again}")
    report = subprocess.run([cli, "study-report", str(study_dir)], capture_output=True, text=True)
    check(report.returncode == 0, f"study-report failed: {report.stderr}")
    return "; imported by study-import (the CSV twin refused), study-report ran"


def stop(browser):
    """Ends Chromium: the launcher script and every process it started, which share the group we gave it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        end = time.monotonic() + 3
        try:
            os.killpg(browser.pid, sig)
            while time.monotonic() < end:  # helpers and renderers go down a moment after the browser
                browser.poll()  # reaps the launcher, which is in the group too
                os.killpg(browser.pid, 0)
                time.sleep(0.05)
        except ProcessLookupError:
            return


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"FAIL while {STAGE[0]}: {failure}")
        sys.exit(1)
