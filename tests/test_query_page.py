"""The query page at `/`: a person picks the NATO/CMC question, runs it and sees the 23 states,
in headless Chromium, with every request that would leave the machine caught by a trap."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

import servers
from test_pictures import _Trap


@pytest.fixture(scope="module")
def server(built):
    running = servers.start(built.root)
    yield running
    running.stop()


def _dom(url: str, trap: _Trap, profile, server_port: int | None) -> str:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: run tests/setup.sh (the README's test command)"
    # every request goes to the trap, except those to the server under test; Chromium's own
    # autofill service (it asks Google about any page with a form) is switched off, as it is
    # the browser's request, not the page's
    bypass = "<-loopback>" + (f";127.0.0.1:{server_port}" if server_port else "")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
         "--disable-features=AutofillServerCommunication",
         f"--proxy-server=http://127.0.0.1:{trap.port}", f"--proxy-bypass-list={bypass}",
         "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class _Answer(HTMLParser):
    """The answer table's header and first cells, and the status and error texts."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[list[str]] = []
        self.texts: dict[str, str] = {}
        self._where: list[str] = []
        self._in_table = False

    def handle_starttag(self, tag, attrs) -> None:
        ident = dict(attrs).get("id")
        if tag == "table" and ident == "answer":
            self._in_table = True
        if self._in_table and tag == "tr":
            self.rows.append([])
        self._where.append(ident or tag)

    def handle_endtag(self, tag) -> None:
        if tag == "table":
            self._in_table = False
        if self._where:
            self._where.pop()

    def handle_data(self, data) -> None:
        where = self._where[-1] if self._where else ""
        if where in ("status", "error", "summary"):
            self.texts[where] = self.texts.get(where, "") + data
        if self._in_table and where == "th":
            self.columns.append(data)
        elif self._in_table and where == "td" and self.rows:
            self.rows[-1].append(data)


def test_the_page_runs_the_nato_cmc_question_without_a_request_leaving_the_machine(
        server, tmp_path):
    link = server.url + "?" + urlencode({"example": "alliance-members-bound", "alliance": "nato",
                                         "treaty": "cmc", "asOf": "2026-11-22", "run": ""})
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body>empty</body></html>")
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>')
    trap = _Trap()
    dom: list[str] = []
    try:
        browser_own = trap.requests(lambda: _dom(empty.as_uri(), trap, tmp_path / "p0", None))
        by_page = trap.requests(lambda: dom.append(
            _dom(link, trap, tmp_path / "p1", server.port)))
        by_control = trap.requests(lambda: _dom(control.as_uri(), trap, tmp_path / "p2", None))
    finally:
        trap.close()
    assert by_page - browser_own == set(), "the page made a request beyond this server"
    assert "example.invalid" in by_control - browser_own, "the trap must see a page's request"
    page = _Answer()
    page.feed(dom[0])
    assert page.columns == ["state", "name", "status", "since"]
    states = [row[0] for row in page.rows if row]
    assert len(states) == 23 and states[0] == "ALB" and "LTU" not in states
    assert page.texts["status"].startswith("23 rows")
    assert "Members of an alliance bound by a treaty on a date" in page.texts["summary"]
    assert 'id="query"' in dom[0] and "tkg:subject" in dom[0], "the question is in the editor"
    assert "PREFIX tkg:" in dom[0]


def test_the_page_shows_the_endpoints_error(server, tmp_path):
    link = server.url + "?" + urlencode({"query": "SELEKT * WHERE { ?s ?p ?o }", "run": ""})
    trap = _Trap()
    try:
        dom = _dom(link, trap, tmp_path / "p", server.port)
    finally:
        trap.close()
    page = _Answer()
    page.feed(dom)
    assert page.texts["error"].startswith("400")
    assert "the query is not valid SPARQL" in page.texts["error"]
    assert page.rows == []
