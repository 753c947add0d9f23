"""Scale the real data k-fold, in the project's own data/ format, for the benchmark.

Scale 1 is today's data/ as it is. Scale k keeps the states, successions and armed conflicts and
adds k-1 copies of every treaty family (a treaty with the alliances it founds): the same clauses,
the same participant histories, the same sources, under new slugs (`cmc-s007`, `nato-s007` founded
by `north-atlantic-treaty-s007`). The mix of event kinds, clauses (armed-conflict deferrals,
terminations, as-agreed notice), alliances and sources is therefore exactly the real one, and
every copy goes through the real load -> validate -> derive -> graph path.

    python bench/synth.py --scale 10 --out /tmp/treatykg-10x
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ("states.csv", "successions.csv", "armed_conflicts.csv", "status_pages.csv",
          "source_policy.yaml", "declarations.csv", "bodies.csv")


def suffix(copy: int, scale: int) -> str:
    """'' for the real data, '-s007' for copy 7 (wide enough to sort in copy order)."""
    return "" if copy == 0 else f"-s{copy:0{len(str(scale - 1))}d}"


def _renamed(text: str, tail: str, keys: tuple[str, ...]) -> str:
    """The YAML text with the top-level `key: value` lines of `keys` given the copy's suffix.

    A copy is not the Wikidata item of the original, so it loses the original's `wikidata`, and
    is not what the original is commonly called, so it loses its `aliases` (a name may name
    one thing only).
    """
    if tail:
        text = re.sub(r"^wikidata: .*$", "wikidata:", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^aliases:\n(?: .*\n)*", "", text, count=1, flags=re.MULTILINE)
    for key in keys:
        text = re.sub(rf"^({key}: )(.+)$", lambda m: m[1] + m[2] + tail, text, count=1,
                      flags=re.MULTILINE)
    return text


def synthesize(scale: int, out: Path, source: Path = ROOT) -> Path:
    """Write a project root (data/, ontology/, queries/) at `out`, scaled `scale`-fold."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "queries"):
        shutil.copytree(source / folder, out / folder)
    data, real = out / "data", source / "data"
    for folder in ("treaties", "events", "alliances", "memberships"):
        (data / folder).mkdir(parents=True)
    for name in SHARED:
        shutil.copy2(real / name, data / name)
    for copy in range(scale):
        tail = suffix(copy, scale)
        for path in sorted((real / "treaties").glob("*.yaml")):
            text = _renamed(path.read_text(encoding="utf-8"), tail, ("slug", "name", "short_name"))
            (data / "treaties" / f"{path.stem}{tail}.yaml").write_text(text, encoding="utf-8")
            events = real / "events" / f"{path.stem}.csv"
            if events.is_file():
                shutil.copyfile(events, data / "events" / f"{path.stem}{tail}.csv")
        for path in sorted((real / "alliances").glob("*.yaml")):
            text = _renamed(path.read_text(encoding="utf-8"), tail,
                            ("slug", "name", "short_name", "founded_by"))
            (data / "alliances" / f"{path.stem}{tail}.yaml").write_text(text, encoding="utf-8")
            shutil.copyfile(real / "memberships" / f"{path.stem}.csv",
                            data / "memberships" / f"{path.stem}{tail}.csv")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(synthesize(args.scale, args.out))


if __name__ == "__main__":
    main()
