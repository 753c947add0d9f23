"""Headless Chromium for tests, with every request that would leave the machine caught by a
trap: render a page, and tell the requests a page makes from those Chromium makes of its own."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit


class Trap:
    """A local 'proxy' that records the host of every request a browser attempts, answers none.

    Chromium makes requests of its own (time, updates, accounts) whatever the page; a page's
    requests are those beyond what an empty page triggers.
    """

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.hosts: set[str] = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            connection.settimeout(1)
            try:
                first = connection.recv(512).decode("latin-1").split("\r\n")[0]
            except OSError:
                first = ""
            connection.close()
            target = first.split(" ")[1] if " " in first else first
            self.hosts.add(urlsplit(target).hostname or target.split(":")[0])

    def requests(self, render) -> set[str]:
        """The hosts requested while `render` runs."""
        before = set(self.hosts)
        self.hosts.clear()
        render()
        seen, self.hosts = set(self.hosts), before | self.hosts
        return seen

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


def dump_dom(url: str, trap: Trap, profile: Path, *, server_port: int | None = None,
             no_autofill: bool = False, budget_ms: int = 3000, timeout: float = 120) -> str:
    """The DOM of `url` after `budget_ms` of Chromium's virtual time, in a fresh `profile`.

    Every request goes to the trap except loopback ones to `server_port` (the server under
    test); `no_autofill` switches off Chromium's autofill service (it asks Google about any
    page with a form), as that is the browser's request, not the page's.
    """
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: run tests/setup.sh (the README's test command)"
    bypass = "<-loopback>" + (f";127.0.0.1:{server_port}" if server_port else "")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
         *(["--disable-features=AutofillServerCommunication"] if no_autofill else []),
         f"--proxy-server=http://127.0.0.1:{trap.port}", f"--proxy-bypass-list={bypass}",
         f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
        capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def requests_beyond_the_browsers_own(url: str, folder: Path, *, server_port: int | None = None,
                                     **chromium) -> tuple[set[str], set[str], str]:
    """Render an empty page, `url` and a control page (an image from example.invalid), each in
    a fresh profile under `folder`, through one trap: the hosts `url` requested beyond those
    the empty page made Chromium request, the same for the control page, and `url`'s DOM.

    `server_port` is let through for `url` only; `chromium` are `dump_dom`'s other options,
    for all three.
    """
    empty = folder / "empty.html"
    empty.write_text("<html><body>empty</body></html>")
    control = folder / "control.html"
    control.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>')
    trap = Trap()
    dom: list[str] = []
    try:
        browser_own = trap.requests(
            lambda: dump_dom(empty.as_uri(), trap, folder / "p0", **chromium))
        by_page = trap.requests(lambda: dom.append(
            dump_dom(url, trap, folder / "p1", server_port=server_port, **chromium)))
        by_control = trap.requests(
            lambda: dump_dom(control.as_uri(), trap, folder / "p2", **chromium))
    finally:
        trap.close()
    return by_page - browser_own, by_control - browser_own, dom[0]
