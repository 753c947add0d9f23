"""Write a query Result as a table, CSV, TSV (SPARQL 1.1 formats) or SPARQL 1.1 Results JSON."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph

from treatykg.queries import ID, Result

FORMATS = ("table", "csv", "tsv", "json")


def _json_term(term) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    bindings = [
        {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False) + "\n"


def _short(term) -> str:
    """A readable cell: our resource IRIs by their key, literals by their value."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        value = term.value
        return value.rsplit("/", 1)[-1] if value.startswith(ID) else value
    return term.value


def to_csv(result: Result, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    # SPARQL 1.1 TSV heads its columns with the variables' '?' names
    writer.writerow(result.columns if delimiter == "," else [f"?{c}" for c in result.columns])
    for row in result.rows:
        writer.writerow([_short(t) if delimiter == "," else _tsv(t) for t in row])
    return buffer.getvalue()


def _tsv(term) -> str:
    """SPARQL 1.1 TSV cells are terms in N-Triples/Turtle syntax."""
    return "" if term is None else str(term)


def text_table(columns: list[str], cells: list[list[str]], noun: str = "row") -> str:
    """Aligned columns under a header and a rule, then the count: how the CLI shows rows."""
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(cells)} {noun}{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_table(result: Result) -> str:
    """A human table; the echoed parameter columns (`_...`) are left out."""
    keep = [i for i, c in enumerate(result.columns) if not c.startswith("_")]
    return text_table([result.columns[i] for i in keep],
                      [[_short(row[i]) for i in keep] for row in result.rows])


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_csv(result, delimiter="\t")
    return to_table(result)
