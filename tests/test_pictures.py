"""Pictures and the HTML report: produced, labelled, and the report renders offline."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from treatykg import plot, report, snapshot

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def snap(db) -> snapshot.Snapshot:
    return snapshot.read(db)


@pytest.mark.parametrize(("name", "draw"), [
    ("timeline-cmc.png", lambda s, p: plot.timeline("cmc", p, as_of=AS_OF, version="v",
                                                    snapshot=s)),
    ("matrix-nato.svg", lambda s, p: plot.matrix("nato", p, as_of=AS_OF, version="v", snapshot=s)),
    ("divergence.png", lambda s, p: plot.network("divergence", p, as_of=AS_OF, version="v",
                                                 snapshot=s, in_="nato")),
    ("withdrawals.svg", lambda s, p: plot.network("withdrawals", p, as_of=AS_OF, version="v",
                                                  snapshot=s, treaty="apmbc")),
])
def test_each_picture_is_written_with_its_caption(snap, tmp_path, name, draw):
    path = tmp_path / name
    draw(snap, path)
    data = path.read_bytes()
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG") and len(data) > 20_000
    else:
        text = data.decode("utf-8")
        assert "<svg" in text and "2026-11-22" in text


def test_a_picture_needs_png_or_svg(snap, tmp_path):
    with pytest.raises(ValueError, match=r"pictures are \.png or \.svg"):
        plot.matrix("nato", tmp_path / "m.jpg", as_of=AS_OF, version="v", snapshot=snap)


def test_the_report_holds_the_matrix_timeline_and_divergence(snap):
    page = report.render("nato", as_of=AS_OF, version="v", snapshot=snap)
    assert '<table id="profiles">' in page and '<table id="matrix">' in page
    assert "32 members fall into 3 profiles of weapon bans; 225 of 496 pairs" in page
    assert 'data-status="withdrawn"' in page


class _Trap:
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


def _render_in_chromium(page: Path, trap: _Trap, profile: Path) -> str:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: run tests/setup.sh (the README's test command)"
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
         f"--proxy-server=http://127.0.0.1:{trap.port}", "--proxy-bypass-list=<-loopback>",
         "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_report_renders_in_headless_chromium_without_any_request(snap, tmp_path):
    page = tmp_path / "report.html"
    report.write("nato", page, as_of=AS_OF, version="v", snapshot=snap)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body>empty</body></html>")
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>')
    trap = _Trap()
    dom: list[str] = []
    try:
        browser_own = trap.requests(lambda: _render_in_chromium(empty, trap, tmp_path / "p0"))
        by_report = trap.requests(lambda: dom.append(
            _render_in_chromium(page, trap, tmp_path / "p1")))
        by_control = trap.requests(lambda: _render_in_chromium(control, trap, tmp_path / "p2"))
    finally:
        trap.close()
    assert by_report - browser_own == set(), "the report made a network request"
    assert "example.invalid" in by_control - browser_own, "the trap must see a page's request"
    for element in ('id="profiles"', 'id="matrix"', 'id="timeline"', 'id="matrix-figure"',
                    "<svg", "NATO members' treaty status on 2026-11-22"):
        assert element in dom[0], element
