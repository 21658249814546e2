"""Load an HTML file in headless Chromium and report what rendered: the audit page's smoke check.

In: the path of a local HTML file (and optionally the chromium binary). Out: ``PageCheck`` —
every image (loaded? natural size), every SVG chart with its bars, every table with its size, the
console messages, JavaScript exceptions, failed and non-local requests — gathered through the
DevTools protocol over a pipe (``--remote-debugging-pipe``: no port, no websocket library); and
``screenshot`` (Chromium's own ``--screenshot``). Chromium runs offline-minded (no QUIC, no
background networking, no component update) with a fresh profile directory that is removed after.

    python -m pipeline.report.browser extracted/audit.html     # prints the check as JSON
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars")

PROBE = r"""
(async () => {
  const imgs = [...document.images];
  await Promise.all(imgs.map(i => i.decode().then(() => true, () => false)));
  const box = el => { const r = el.getBoundingClientRect(); return {width: r.width, height: r.height}; };
  const bg = sel => { const el = document.querySelector(sel); return el ? getComputedStyle(el).backgroundColor : null; };
  return {
    title: document.title,
    images: imgs.map(i => ({alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth,
                            naturalHeight: i.naturalHeight, ...box(i)})),
    charts: [...document.querySelectorAll('svg.chart')].map(s => ({...box(s),
      document: (s.closest('section.document') || {dataset: {}}).dataset.document || '',
      bars: [...s.querySelectorAll('rect.bar')].map(b => ({series: b.dataset.series, grade: b.dataset.grade,
        count: Number(b.dataset.count), height: b.getBoundingClientRect().height}))})),
    tables: [...document.querySelectorAll('table')].map(t => ({cls: t.className, rows: t.rows.length, ...box(t)})),
    documents: [...document.querySelectorAll('section.document')].map(s => s.dataset.document),
    scripts: document.scripts.length,
    text_length: document.body.innerText.length,
    backgrounds: {disagree: bg('tr.disagree > td'), plain: bg('tr:not(.disagree):not(.check) > td')},
    page_height: document.documentElement.scrollHeight,
  };
})()
"""


class BrowserError(RuntimeError):
    pass


@dataclass
class PageCheck:
    url: str
    title: str = ""
    images: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    scripts: int = 0
    text_length: int = 0
    page_height: int = 0
    backgrounds: dict = field(default_factory=dict)
    console: list[str] = field(default_factory=list)        # console.error / warning / assert messages
    exceptions: list[str] = field(default_factory=list)     # uncaught JavaScript exceptions
    log_errors: list[str] = field(default_factory=list)     # browser log entries of level error
    failed_requests: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)  # anything but file: and data: URLs

    @property
    def broken_images(self) -> list[dict]:
        return [i for i in self.images if not i["complete"] or i["naturalWidth"] == 0]

    @property
    def errors(self) -> list[str]:
        return self.console + self.exceptions + self.log_errors + self.failed_requests


def find_chromium() -> str | None:
    """The chromium binary: $CHROMIUM, else chromium / chromium-browser on PATH, else None."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def _binary(chromium: str | None) -> str:
    found = shutil.which(chromium) if chromium else find_chromium()
    if not found:
        raise BrowserError(f"chromium not found{f' at {chromium}' if chromium else ''} "
                           "(install Debian's chromium: .ci/install-browser.sh)")
    return found


def _high(fd: int) -> int:
    import fcntl
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class _Pipe:
    """The DevTools protocol over chromium's fds 3 (commands in) and 4 (replies out)."""

    def __init__(self, chromium: str, profile: str, timeout: float):
        self.deadline = time.monotonic() + timeout
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # the child's ends move above fd 9 so that placing them at 3 and 4 cannot clobber each other
        # (bash, not dash: dash refuses fds above 9)
        to_child_r, from_child_w = (_high(fd) for fd in (to_child_r, from_child_w))
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        script = 'exec "$@" 3<&{0} 4>&{1} {0}<&- {1}>&-'.format(to_child_r, from_child_w)
        self.process = subprocess.Popen([shutil.which("bash") or "/bin/bash", "-c", script, "chromium", *command],
                                        pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_child, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise BrowserError(f"chromium exited (status {self.process.poll()}) before {method}") from None
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str | None = None) -> dict:
        for event in self.events:
            if event.get("method") == method and (session is None or event.get("sessionId") == session):
                return event
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method and (session is None or event.get("sessionId") == session):
                return event

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise BrowserError(f"chromium exited (status {self.process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        try:
            os.write(self._to_child, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
        except OSError:
            pass
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _describe_console(params: dict) -> str:
    args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
    return f"console.{params.get('type')}: {args}"


def check_page(path: Path, chromium: str | None = None, timeout: float = 60,
               size: tuple[int, int] = (1280, 1600)) -> PageCheck:
    """Open ``path`` (a local file) in headless chromium and report what rendered."""
    url = Path(path).resolve().as_uri()
    check = PageCheck(url)
    profile = tempfile.mkdtemp(prefix="audit-chromium-")
    pipe = None
    try:
        pipe = _Pipe(_binary(chromium), profile, timeout)
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Emulation.setDeviceMetricsOverride", {"width": size[0], "height": size[1],
                                                         "deviceScaleFactor": 1, "mobile": False}, session)
        pipe.events.clear()
        navigation = pipe.send("Page.navigate", {"url": url}, session)
        if navigation.get("errorText"):
            raise BrowserError(f"{url} did not load: {navigation['errorText']}")
        pipe.wait_for("Page.loadEventFired", session)
        result = pipe.send("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True,
                                                "returnByValue": True}, session)
        if "exceptionDetails" in result:
            raise BrowserError(f"the probe failed: {result['exceptionDetails']}")
        for key, value in result["result"]["value"].items():
            setattr(check, key, value)
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                check.console.append(_describe_console(params))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                check.exceptions.append(str(details.get("exception", {}).get("description") or details.get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                check.log_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
            elif method == "Network.loadingFailed":
                check.failed_requests.append(f"{params.get('type')}: {params.get('errorText')}")
            elif method == "Network.requestWillBeSent":
                request_url = params.get("request", {}).get("url", "")
                if not request_url.startswith(("file:", "data:")):
                    check.remote_requests.append(request_url)
    finally:
        if pipe is not None:
            pipe.close()
        shutil.rmtree(profile, ignore_errors=True)
    return check


def screenshot(path: Path, png: Path, chromium: str | None = None, size: tuple[int, int] = (1280, 1600),
               timeout: float = 60) -> Path:
    """Chromium's ``--screenshot`` of ``path`` at ``size`` into ``png``; returns ``png``."""
    png = Path(png).resolve()
    png.unlink(missing_ok=True)
    profile = tempfile.mkdtemp(prefix="audit-chromium-")
    try:
        command = [_binary(chromium), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
                   f"--screenshot={png}", Path(path).resolve().as_uri()]
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not png.exists():
        raise BrowserError(f"chromium wrote no screenshot (status {done.returncode}): "
                           f"{done.stderr.decode(errors='replace')[-500:]}")
    return png


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m pipeline.report.browser PAGE.html", file=sys.stderr)
        return 2
    check = check_page(Path(argv[0]))
    summary = asdict(check)
    summary["images"] = f"{len(check.images)} image(s), {len(check.broken_images)} broken"
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 1 if check.errors or check.broken_images else 0


if __name__ == "__main__":
    sys.exit(main())
