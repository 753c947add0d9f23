"""Pictures and the HTML report: produced, labelled, and the report renders offline."""

from __future__ import annotations

from datetime import date

import pytest

import browser
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


def test_the_report_renders_in_headless_chromium_without_any_request(snap, tmp_path):
    page = tmp_path / "report.html"
    report.write("nato", page, as_of=AS_OF, version="v", snapshot=snap)
    beyond_report, beyond_control, dom = browser.requests_beyond_the_browsers_own(
        page.as_uri(), tmp_path)
    assert beyond_report == set(), "the report made a network request"
    assert "example.invalid" in beyond_control, "the trap must see a page's request"
    for element in ('id="profiles"', 'id="matrix"', 'id="timeline"', 'id="matrix-figure"',
                    "<svg", "NATO members' treaty status on 2026-11-22"):
        assert element in dom, element
