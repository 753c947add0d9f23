"""The source policy (data/source_policy.yaml): how sources rank, which hosts are refused, and
which archived copies must stand beside their originals.

Ranks, best first: `depositary` (depositaries and treaty bodies), `government`,
`support-unit-monitor` (implementation support units, the Landmine and Cluster Munition
Monitor), `press-research`, and `other` for anything not listed. An archived copy ranks as the
original it copies. A mirror, proxy or content farm is refused at `validate`.

>>> policy = Policy((Rank("depositary", ("treaties.un.org",), (), ()),), (
...     Refusal("wikizero.com", None, "a mirror of Wikipedia"),), ())
>>> policy.rank("https://treaties.un.org/Pages/ViewDetails.aspx"), policy.rank("https://x.org/")
('depositary', 'other')
>>> policy.refused("https://www.wikizero.com/en/Ottawa_Treaty")
'a mirror of Wikipedia'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

RANKS = ("depositary", "government", "support-unit-monitor", "press-research", "other")


@dataclass(frozen=True)
class Rank:
    rank: str
    hosts: tuple[str, ...]  # a host, or any subdomain of it
    suffixes: tuple[str, ...]  # host endings, e.g. .gov.uk
    pages: tuple[str, ...]  # addresses without their scheme that a URL starts with


@dataclass(frozen=True)
class Refusal:
    host: str | None
    pattern: re.Pattern | None  # on the host
    reason: str


@dataclass(frozen=True)
class Copy:
    copy: str  # the archived copy's address
    original: str  # the original's address, or the address its pages all begin with


@dataclass(frozen=True)
class Policy:
    """data/source_policy.yaml as read. It works out each address once: a build cites a few
    hundred addresses some 8,500 times (at 1x) and asks about every citation."""

    ranks: tuple[Rank, ...]
    refusals: tuple[Refusal, ...]
    copies: tuple[Copy, ...]
    # Memos, left out of init, repr, equality and hash: copy -> original (the first listed),
    # and each address's rank and refusal once asked.
    _originals: dict[str, str] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)
    _rank_of: dict[str, str] = field(default_factory=dict, init=False, repr=False,
                                     compare=False)
    _refusal_of: dict[str, str | None] = field(default_factory=dict, init=False, repr=False,
                                               compare=False)

    def __post_init__(self) -> None:
        for c in self.copies:
            self._originals.setdefault(c.copy, c.original)

    def rank(self, url: str) -> str:
        """The rank of a source; a known archived copy ranks as its original."""
        if url not in self._rank_of:
            original = self.original_of(url)
            self._rank_of[url] = self._rank(url if original is None else original)
        return self._rank_of[url]

    def _rank(self, url: str) -> str:
        host, page = _host(url), _page(url)
        for rank in self.ranks:
            if any(page.startswith(p) for p in rank.pages) or any(
                    _under(host, h) for h in rank.hosts) or any(
                    host.endswith(s) for s in rank.suffixes):
                return rank.rank
        return "other"

    def refused(self, url: str) -> str | None:
        """Why the policy refuses a source (a mirror, proxy or content farm), or None."""
        if url not in self._refusal_of:
            self._refusal_of[url] = self._refusal(url)
        return self._refusal_of[url]

    def _refusal(self, url: str) -> str | None:
        host = _host(url)
        for r in self.refusals:
            if (r.host and _under(host, r.host)) or (r.pattern and r.pattern.search(host)):
                return r.reason
        return None

    def original_of(self, url: str) -> str | None:
        """The original an archived copy copies (its address, or the prefix of its pages)."""
        return self._originals.get(url)

    def best(self, urls: tuple[str, ...]) -> str:
        """The best rank among a fact's sources."""
        return min((self.rank(u) for u in urls), key=RANKS.index, default="other")


def _under(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or a subdomain of it."""
    return host == domain or host.endswith("." + domain)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _page(url: str) -> str:
    return url.split("://", 1)[-1]
