"""The query page at `/`: a person picks the NATO/CMC question, runs it and sees the 23 states,
in headless Chromium, with every request that would leave the machine caught by a trap."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import browser

# Chromium's own autofill service (it asks Google about any page with a form) switched off, as
# it is the browser's request, not the page's; time for the page to fetch and show its answer
_CHROMIUM = {"no_autofill": True, "budget_ms": 15000, "timeout": 180}


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
    beyond_page, beyond_control, dom = browser.requests_beyond_the_browsers_own(
        link, tmp_path, server_port=server.port, **_CHROMIUM)
    assert beyond_page == set(), "the page made a request beyond this server"
    assert "example.invalid" in beyond_control, "the trap must see a page's request"
    page = _Answer()
    page.feed(dom)
    assert page.columns == ["state", "name", "status", "since"]
    states = [row[0] for row in page.rows if row]
    assert len(states) == 23 and states[0] == "ALB" and "LTU" not in states
    assert page.texts["status"].startswith("23 rows")
    assert "Members of an alliance bound by a treaty on a date" in page.texts["summary"]
    assert 'id="query"' in dom and "tkg:subject" in dom, "the question is in the editor"
    assert "PREFIX tkg:" in dom


def test_the_page_shows_the_endpoints_error(server, tmp_path):
    link = server.url + "?" + urlencode({"query": "SELEKT * WHERE { ?s ?p ?o }", "run": ""})
    trap = browser.Trap()
    try:
        dom = browser.dump_dom(link, trap, tmp_path / "p", server_port=server.port, **_CHROMIUM)
    finally:
        trap.close()
    page = _Answer()
    page.feed(dom)
    assert page.texts["error"].startswith("400")
    assert "the query is not valid SPARQL" in page.texts["error"]
    assert page.rows == []
