"""Write a query's answer in a standard format, or as the CLI's text table.

`treatykg query` writes exactly what a SPARQL 1.1 endpoint would send, so a script can switch
between the CLI and any endpoint without changing its parser. pyoxigraph's own serialisers
(0.5.13) were checked against the W3C texts, format by format:
- json, SPARQL 1.1 Query Results JSON: conforms (compact, UTF-8; an ASK's head is `{}`);
  written by pyoxigraph.
- xml, SPARQL Query Results XML: conforms; written by pyoxigraph.
- tsv, SPARQL 1.1 TSV: conforms (terms in Turtle syntax, `\\t \\n \\r` escaped, integers and
  booleans abbreviated; decimals and doubles in full, which the standard allows); pyoxigraph.
- csv, SPARQL 1.1 CSV: conforms but for one case: an IRI holding a comma is written bare, where
  the standard says any field with `,` must be quoted, and real sources have such IRIs. So
  `write_csv` writes it: pyoxigraph's bytes exactly (a test holds it to them), that field quoted.
- turtle, ntriples (CONSTRUCT, DESCRIBE): RDF 1.1 Turtle and N-Triples; written by pyoxigraph.
Every CSV line ends with CRLF and every TSV line with LF; JSON and XML end without a line break,
as pyoxigraph and Oxigraph's server write them. An ASK answer in CSV or TSV, which the
standard does not define, is `true` or `false`, as pyoxigraph (and so Oxigraph's server) writes
it. Only the text table shows our resources by their short codes.

>>> import io
>>> store = pyoxigraph.Store()
>>> out = io.BytesIO()
>>> write(store.query('SELECT ?s ?n WHERE { VALUES (?s ?n) { (<https://e.org/a,b> "x") } }'),
...       "csv", out)
>>> out.getvalue()
b's,n\\r\\n"https://e.org/a,b",x\\r\\n'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph

from treatykg import negotiation
from treatykg.names import key_of

if TYPE_CHECKING:  # not at run time: the endpoint's worker writes through here, and starts light
    from treatykg.queries import Answer, Outcome, Result

FORMATS = ("table", "csv", "tsv", "json")  # the row commands' (members, status)
TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")  # a SELECT's or an ASK's answer
GRAPH_FORMATS = ("turtle", "ntriples")  # a CONSTRUCT's or a DESCRIBE's answer
QUERY_FORMATS = TABLE_FORMATS + GRAPH_FORMATS

# each format key's pyoxigraph serialiser, as the endpoint's (treatykg.negotiation) names them
_RESULTS = {key: fmt for key, (_, fmt, _) in negotiation.RESULTS.items()}
_GRAPHS = {key: negotiation.GRAPHS[key][1] for key in GRAPH_FORMATS}


def format_for(outcome: Outcome, requested: str | None) -> str:
    """The format to write `outcome` in: `requested`, or by default a table for rows and a
    boolean and Turtle for a graph. A format the answer cannot take is a ValueError."""
    graph = isinstance(outcome, pyoxigraph.QueryTriples)
    if requested is None:
        return "turtle" if graph else "table"
    if graph and requested not in GRAPH_FORMATS:
        raise ValueError(f"the query answers a graph: --format {' or '.join(GRAPH_FORMATS)}")
    if not graph and requested in GRAPH_FORMATS:
        raise ValueError("the query answers a table, not a graph: --format "
                         f"{', '.join(TABLE_FORMATS)}")
    return requested


def write(outcome: Outcome, fmt: str, out: BinaryIO) -> None:
    """Write a query's outcome to a binary stream in a standard format (module docstring)."""
    if fmt == "csv" and isinstance(outcome, pyoxigraph.QuerySolutions):
        write_csv(outcome, out)
    elif fmt in _GRAPHS:
        outcome.serialize(out, format=_GRAPHS[fmt])
    else:
        outcome.serialize(out, format=_RESULTS[fmt])


def write_csv(solutions: pyoxigraph.QuerySolutions, out: BinaryIO) -> None:
    """SPARQL 1.1 CSV: a line of the variables, then a line per solution, each ending in CRLF;
    a field is a term's string (IRI, lexical form, `_:label`), quoted when it holds `"`, `,`, LF
    or CR. pyoxigraph's bytes exactly, except that pyoxigraph leaves an IRI with a comma bare.
    Written a line at a time, so that a stream counting rows and bytes (the endpoint's worker)
    can stop a long answer before it is whole."""
    out.write(_csv_line(v.value for v in solutions.variables))
    for solution in solutions:
        out.write(_csv_line(_csv_field(term) for term in solution))


def _csv_line(fields) -> bytes:
    return (",".join(fields) + "\r\n").encode("utf-8")


def _csv_field(term) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        text = term.value
    else:  # a triple term: as N-Triples writes it
        text = str(term)
    if any(c in text for c in '",\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _short(term) -> str:
    """A readable cell: our resource IRIs by their key, literals by their value."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return key_of(term.value)
    return term.value


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


def title(answer: Answer) -> str:
    """The line that says which parameters an answer used, and which were defaults.

    `withdrawals: treaty=apmbc (default)`; `bound-counts: asOf=2026-12-02 (today)`.
    """
    settings = ", ".join(str(s) for s in answer.settings) or "no parameters"
    return f"{answer.query.name}: {settings}"


def table(answer: Answer) -> str:
    """The text view of a SELECT (a table) or an ASK (`true` or `false`)."""
    if isinstance(answer.outcome, pyoxigraph.QueryBoolean):
        return "true\n" if bool(answer.outcome) else "false\n"
    return to_table(answer.result())
