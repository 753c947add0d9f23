"""The ontology's human-readable page, generated from ontology/treatykg.ttl by pyLODE.

`treatykg docs` writes docs/ontology.html; the page is built, never edited, and a test
regenerates it and fails when the committed page is not current. pyLODE is pinned to 3.3.4
(3.4.1 fails at import on Python 3.11) and writes no generation time, so the same ontology
gives the same bytes; pyLODE's own version is the only other input printed on the page.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


class DocsUnavailable(Exception):
    """pyLODE is not installed: it comes with the `docs` extra."""


def render(ontology: Path) -> str:
    """The HTML page documenting every class and property of `ontology` (a Turtle file)."""
    try:
        import pylode  # imported here: it sets up logging and loads its own ontologies
    except ImportError:
        raise DocsUnavailable("pyLODE is not installed: pip install -e '.[docs]'") from None
    return pylode.OntPub(ontology=str(ontology)).make_html()


def write(ontology: Path, path: Path) -> Path:
    """Render `ontology` into `path` (its folder created if need be); return `path`."""
    html = render(ontology)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    log.info("documented %s in %s", ontology, path)
    return path
