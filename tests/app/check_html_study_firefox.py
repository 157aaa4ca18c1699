"""Takes part in a study folder's study.html as a participant would, in headless Firefox driven over WebDriver
BiDi with real key events: start, consent, instructions, every trial (with a reload halfway that must resume at
the next unanswered trial), then both downloads (J and C, saved by the profile's download settings). Checks the
downloaded JSON and CSV against orders.csv, manifest.json, the stimulus files and the keys pressed, that the page
threw no errors, and that it requested nothing over the network (BiDi network.beforeRequestSent; Firefox reports
http(s) requests, including ones to unreachable hosts, but not file:// loads, so a test request shows the check sees).

The participant's run and the checks of the files are those of check_html_study.py (the Chromium check), imported
from it (its PARTICIPANT, ORDER and DEADLINE globals set to ours): this file only puts Firefox behind the same
small Page interface.

Usage: check_html_study_firefox.py --study STUDY_DIR --firefox /usr/bin/firefox-esr --work WORKDIR
Exits 0 when all is well, 1 on a failure (saying what differs), 77 (CTest's skip code) without Firefox or
websocket-client, or when Firefox's BiDi endpoint cannot be reached within 30 s.
Needs only the standard library and websocket-client (Debian: python3-websocket)."""
import argparse
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # importing the Chromium check must not leave __pycache__ in the source tree
import check_html_study as chromium_check  # noqa: E402 (the same folder as this file)
from check_html_study import Failure, check, skip  # noqa: E402

PARTICIPANT, ORDER = "P-firefox", 2
START = time.monotonic()
# take_part() and check_responses() read these module globals when called; Page.wait_for() uses DEADLINE.
chromium_check.PARTICIPANT, chromium_check.ORDER = PARTICIPANT, ORDER
# The whole check, Firefox's start included (about 5 s when idle): a hang's readable failure before CTest's
# TIMEOUT (300 s); waits end at their event, so a passing run never waits for it.
chromium_check.DEADLINE = START + 270
# Firefox opens its BiDi endpoint in about 2 s when idle; a loaded machine may take much longer, and only a
# browser that never opens it is an infrastructure problem (reported as skipped, not as the page's failure).
BIDI_WAIT = 150
# WebDriver's code points for keys without text; everything else is sent as the character itself.
SPECIAL_KEYS = {"Enter": "\ue007", "Backspace": "\ue003", "Escape": "\ue00c"}
PREFS = {
    # Downloads go straight into WORK/downloads without a dialog (headless Firefox has none to answer).
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.helperApps.neverAsk.saveToDisk": "application/json,text/csv",
    "browser.download.start_downloads_in_tmp_dir": False,  # .part files in that folder, then the final name
}


class Page(chromium_check.Page):
    """The Chromium check's Page (wait_for, enter, digit, type_text are inherited) over a BiDi session on
    Firefox's one tab. Events that arrive while waiting for a reply are kept in self.events."""

    # The three DevTools commands take_part() sends, and their BiDi equivalents (same reply shape for screenshots).
    DEVTOOLS = {"Page.navigate": ("browsingContext.navigate", {"wait": "complete"}),
                "Page.reload": ("browsingContext.reload", {"wait": "complete"}),
                "Page.captureScreenshot": ("browsingContext.captureScreenshot", {})}

    def __init__(self, websocket, url):
        # Firefox refuses websocket clients that send an Origin header.
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)  # local; 30 s for a loaded machine
        self.socket_errors = (OSError, websocket.WebSocketException)  # a hung or crashed Firefox: FAIL, not a traceback
        self.last_id, self.events, self.context = 0, [], None

    def call(self, method, **params):
        if method in self.DEVTOOLS:
            method, extra = self.DEVTOOLS[method]
            params = {"context": self.context, **extra, **({"url": params["url"]} if "url" in params else {})}
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            self.socket.settimeout(chromium_check.reply_time(method))  # a reply is an event: within REPLY_LIMIT
            try:
                message = json.loads(self.socket.recv())
            except self.socket_errors as error:
                raise Failure(f"no reply from Firefox to {method} within {chromium_check.REPLY_LIMIT} s: {error!r}")
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == self.last_id:
                check(message.get("type") == "success", f"{method} failed: {message.get('error')}: {message.get('message')}")
                return message.get("result", {})

    def evaluate(self, expression):
        # JSON.stringify gives plain values back, as Chromium's returnByValue does, without decoding BiDi's
        # typed remote values; undefined (no JSON) comes back as None.
        reply = self.call("script.evaluate", expression=f"JSON.stringify(({expression}))", awaitPromise=False,
                          target={"context": self.context}, resultOwnership="none")
        check(reply.get("type") == "success", f"evaluating {expression!r} threw: {reply.get('exceptionDetails')}")
        result = reply["result"]
        return json.loads(result["value"]) if result.get("type") == "string" else None

    def errors(self):
        # Uncaught exceptions and unhandled rejections in the page are log entries of type "javascript".
        entries = [event["params"] for event in self.events
                   if event["method"] == "log.entryAdded" and event["params"].get("type") == "javascript"]
        return [f"{entry.get('text')} at {frame.get('url')}:{frame.get('lineNumber', -1) + 1}" if frame else entry.get("text")
                for entry in entries for frame in [((entry.get("stackTrace") or {}).get("callFrames") or [None])[0]]]

    def press(self, key, code=None, key_code=None, text=None):
        # The Chromium check's signature; BiDi needs only the key value and derives code and keyCode itself.
        value = SPECIAL_KEYS.get(key, key)
        self.call("input.performActions", context=self.context, actions=[
            {"type": "key", "id": "keyboard", "actions": [{"type": "keyDown", "value": value}, {"type": "keyUp", "value": value}]}])


def start_firefox(firefox, profile, log_path):
    """Starts headless Firefox in its own process group; returns (process, BiDi websocket URL) or skips when
    the endpoint does not show up in time (a missing display library, an overloaded machine: not the page)."""
    (profile / "user.js").write_text("".join(f'user_pref("{name}", {json.dumps(value)});\n' for name, value in
                                             {**PREFS, "browser.download.dir": str(profile.parent / "downloads")}.items()))
    log = open(log_path, "w")
    browser = subprocess.Popen([firefox, "--headless", "--remote-debugging-port=0", "--profile", str(profile),
                                "--no-remote", "about:blank"],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()  # Firefox has its own copy
    end = time.monotonic() + BIDI_WAIT
    while time.monotonic() < end:
        match = re.search(r"WebDriver BiDi listening on (ws://[\w.:\[\]]+)", log_path.read_text(errors="replace"))
        if match:
            return browser, match.group(1) + "/session"
        if browser.poll() is not None:
            break
        time.sleep(0.1)
    return browser, None


def download_both(page, downloads, base):
    """J, then C once the JSON is saved: the participant of the Chromium check."""
    saved = []
    for key, name in (("j", base + ".json"), ("c", base + ".csv")):
        page.press(key)
        saved.append(wait_for_download(page, downloads, name))
    return saved


def wait_for_download(page, downloads, name):
    end = time.monotonic() + chromium_check.waiting_time()
    while time.monotonic() < end:
        page.evaluate("1")  # lets BiDi events (download ends) arrive
        canceled = [event["params"] for event in page.events
                    if event["method"] == "browsingContext.downloadEnd" and event["params"].get("status") == "canceled"]
        check(not canceled, f"Firefox canceled a download: {canceled}")
        if (downloads / name).is_file() and not any(path.name.endswith(".part") for path in downloads.iterdir()):
            return downloads / name
        time.sleep(0.1)
    raise Failure(f"{name} was not downloaded: the folder holds {sorted(os.listdir(downloads))}")


class Canary(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass  # keeps stderr quiet: the only output is the ok/FAIL line


def requested(page):
    return [event["params"]["request"]["url"] for event in page.events if event["method"] == "network.beforeRequestSent"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--study", required=True, type=pathlib.Path)
    parser.add_argument("--firefox", default="firefox-esr")
    parser.add_argument("--work", required=True, type=pathlib.Path)
    args = parser.parse_args()
    firefox = shutil.which(args.firefox)
    if not firefox:
        skip(f"no Firefox at {args.firefox}")
    try:
        import websocket
    except ImportError:
        skip("the Python module websocket (Debian: python3-websocket) is missing")

    study_dir = args.study.resolve()
    data, trials, manifest = chromium_check.read_study(study_dir)

    work = args.work.resolve()
    profile, downloads = work / "profile", work / "downloads"
    for folder in (profile, downloads):
        shutil.rmtree(folder, ignore_errors=True)  # a fresh profile: no saved progress from an earlier run
        folder.mkdir(parents=True)
    browser, url = start_firefox(firefox, profile, work / "firefox.log")
    page = None
    try:
        if not url:
            skip(f"Firefox opened no WebDriver BiDi endpoint within {BIDI_WAIT} s (exit status {browser.poll()}); "
                 f"see {work / 'firefox.log'}")
        try:
            page = Page(websocket, url)
            version = page.call("session.new", capabilities={})["capabilities"].get("browserVersion", "?")
        except (OSError, websocket.WebSocketException, Failure) as error:
            skip(f"could not open a BiDi session at {url}: {error}")
        page.context = page.call("browsingContext.getTree")["contexts"][0]["context"]
        # Network and log events only for our tab: Firefox's own background requests are not the page's.
        page.call("session.subscribe", events=["network.beforeRequestSent", "log.entryAdded",
                                               "browsingContext.downloadEnd"], contexts=[page.context])
        page.call("browsingContext.setViewport", context=page.context, viewport={"width": 1280, "height": 720},
                  devicePixelRatio=1)

        bundle = chromium_check.send_bundle(study_dir, work)
        given, breaks, resumed = chromium_check.take_part(page, bundle, data, trials, work)
        base = f"responses-{re.sub(r'[^A-Za-z0-9_-]', '_', PARTICIPANT)}-{data['study_id'][:8]}"
        json_path, csv_path = download_both(page, downloads, base)
        rows = chromium_check.check_responses(json_path, csv_path, data, trials, given, manifest, bundle)

        check(not page.errors(), f"the page threw: {page.errors()}")
        urls = requested(page)
        remote = [url for url in urls if not url.startswith(("file:", "data:", "blob:", "about:"))]
        check(not remote, f"the page requested something over the network: {remote}")
        # Firefox reports no file:// loads as network events, so an empty list proves little by itself: show
        # that an http request from this page would have been seen. It needs a server that answers (Firefox
        # 153 reported nothing for a refused connection), so a throwaway one on this machine takes the request.
        server = http.server.HTTPServer(("127.0.0.1", 0), Canary)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        canary = f"http://127.0.0.1:{server.server_address[1]}/bidi-canary.png"
        page.evaluate(f"(new Image().src = {json.dumps(canary)}, 1)")
        end = time.monotonic() + chromium_check.waiting_time()
        while canary not in requested(page) and time.monotonic() < end:
            page.evaluate("1")  # lets the event arrive
            time.sleep(0.05)
        server.shutdown()
        check(canary in requested(page), "BiDi reported no network event for a test request; the network check is blind")
        print(f"ok: {PARTICIPANT} took order {ORDER} in Firefox {version}: {len(trials)} trials x {len(data['study']['questions'])} "
              f"questions = {rows} responses, {breaks} breaks, reload resumed at trial {resumed}; JSON and CSV agree; "
              f"no network requests ({len(urls)} local loads reported; Firefox does not report file:// loads, a test http "
              f"request was seen); screenshot {work / 'trial.png'}")
        return 0
    except Failure as failure:
        raise Failure(f"{failure}\n{chromium_check.log_tail(work / 'firefox.log')}") from None
    finally:
        if page:
            page.socket.close()
        chromium_check.stop(browser)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"FAIL while {chromium_check.STAGE[0]}: {failure}")
        sys.exit(1)
