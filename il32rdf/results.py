"""The answer to a SPARQL query, and its writers in the W3C result formats.

A :class:`QueryResult` is what every engine returns: for ``SELECT`` the column names and the rows
(rdflib terms, ``None`` where a variable is unbound), for ``ASK`` a boolean, for ``CONSTRUCT``
and ``DESCRIBE`` an rdflib graph. An engine may give its rows as N-Triples term strings
(:meth:`QueryResult.of_statements`, what Oxigraph does): the rdflib terms are then made when
:attr:`~QueryResult.rows` is first read, and :func:`write_results` writes the strings without
making them, so that answering a query on Oxigraph from the command line never loads rdflib.
:func:`write_results` writes a ``SELECT`` or ``ASK`` answer as

- ``csv``: SPARQL 1.1 Query Results CSV (values only, CRLF line ends);
- ``tsv``: SPARQL 1.1 Query Results TSV (terms in N-Triples syntax);
- ``json``: SPARQL 1.1 Query Results JSON;
- ``xml``: SPARQL Query Results XML;
- ``table``: aligned text for people, IRIs shortened to CURIEs.

CSV and TSV define no form for a boolean; an ``ASK`` answer is written there as one column,
``_askResult``, holding ``true`` or ``false`` (what Jena and others write).

>>> from rdflib import Literal, URIRef
>>> result = QueryResult.select(["x"], [(URIRef("http://purl.obolibrary.org/obo/CL_0000576"),)])
>>> print(write_results(result, "table").decode(), end="")
x
----------
CL:0000576
(1 row)
>>> written = QueryResult.of_statements(["x"], [('"monocyte"@en',)])
>>> print(write_results(written, "tsv").decode(), end="")
?x
"monocyte"@en
>>> written.rows
((rdflib.term.Literal('monocyte', lang='en'),),)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from il32rdf.errors import UsageError
from il32rdf.names import NamedEnum
from il32rdf.ntterms import TermParts, literal_nt, term_parts
from il32rdf.prefixes import compress_iri
from il32rdf.xmltext import escape, quoteattr

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "QueryResult",
    "ResultFormat",
    "Row",
    "WrittenResults",
    "term_to_ntriples",
    "write_results",
]

Row = tuple["Node | None", ...]
"""One solution: a term per column, ``None`` where the variable is unbound."""

Cells = Sequence[Sequence["Node | str | None"]]
"""Rows as the writers read them: rdflib terms, or N-Triples term strings (plain ``str``)."""


class ResultFormat(NamedEnum):
    """The formats a ``SELECT`` or ``ASK`` answer is written in; ``value`` is the CLI name."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"

    @property
    def media_type(self) -> str:
        """The IANA media type, e.g. ``"application/sparql-results+json"``."""
        return _MEDIA_TYPES[self]

    @classmethod
    def noun(cls) -> str:
        return "result format"


_MEDIA_TYPES = {
    ResultFormat.TABLE: "text/plain",
    ResultFormat.CSV: "text/csv",
    ResultFormat.TSV: "text/tab-separated-values",
    ResultFormat.JSON: "application/sparql-results+json",
    ResultFormat.XML: "application/sparql-results+xml",
}


class QueryResult:
    """The answer to one query.

    ``kind`` is ``"select"`` (``columns`` and ``rows``), ``"ask"`` (``boolean``) or ``"graph"``
    (``graph``, for ``CONSTRUCT`` and ``DESCRIBE``). Two answers are equal when their kind,
    columns, rows and boolean are.
    """

    __slots__ = ("_rows", "_statements", "boolean", "columns", "graph", "kind")

    def __init__(
        self,
        kind: TypingLiteral["select", "ask", "graph"],
        columns: tuple[str, ...] = (),
        rows: tuple[Row, ...] = (),
        boolean: bool | None = None,
        graph: Graph | None = None,
    ) -> None:
        self.kind = kind
        self.columns = columns
        self.boolean = boolean
        self.graph = graph
        self._rows: tuple[Row, ...] | None = rows
        self._statements: tuple[tuple[str | None, ...], ...] = ()

    @classmethod
    def select(cls, columns: Sequence[str], rows: Sequence[Sequence[Node | None]]) -> QueryResult:
        """A ``SELECT`` answer."""
        return cls("select", tuple(columns), tuple(tuple(row) for row in rows))

    @classmethod
    def of_statements(
        cls, columns: Sequence[str], rows: Sequence[Sequence[str | None]]
    ) -> QueryResult:
        """A ``SELECT`` answer whose terms are N-Triples term strings (``None``: unbound)."""
        result = cls("select", tuple(columns))
        result._rows = None
        result._statements = tuple(tuple(row) for row in rows)
        return result

    @classmethod
    def ask(cls, value: bool) -> QueryResult:
        """An ``ASK`` answer."""
        return cls("ask", boolean=value)

    @classmethod
    def of_graph(cls, graph: Graph) -> QueryResult:
        """A ``CONSTRUCT`` or ``DESCRIBE`` answer."""
        return cls("graph", graph=graph)

    @property
    def rows(self) -> tuple[Row, ...]:
        """The solutions as rdflib terms (made from the N-Triples strings on first use)."""
        if self._rows is None:
            from il32rdf.terms import rdflib_rows

            self._rows = rdflib_rows(self._statements)
        return self._rows

    def cells(self) -> Cells:
        """The solutions as the writers read them, without making rdflib terms."""
        return self._statements if self._rows is None else self._rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.cells())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.kind, self.columns, self.rows, self.boolean) == (
            other.kind,
            other.columns,
            other.rows,
            other.boolean,
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.columns, self.rows, self.boolean))

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"QueryResult(kind='ask', boolean={self.boolean})"
        if self.kind == "graph":
            return f"QueryResult(kind='graph', graph={self.graph!r})"
        return f"QueryResult(kind='select', columns={self.columns}, rows={len(self)})"

    def records(self) -> list[dict[str, Node]]:
        """The rows as dictionaries from column name to term, leaving out unbound columns."""
        return [
            {name: term for name, term in zip(self.columns, row, strict=True) if term is not None}
            for row in self.rows
        ]

    def column(self, name: str) -> list[Node | None]:
        """Every value of one column, in row order.

        :raises UsageError: no such column; the message lists the columns.
        """
        if name not in self.columns:
            raise UsageError(f"no column {name!r}; the columns are: {', '.join(self.columns)}")
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class WrittenResults:
    """A ``SELECT`` or ``ASK`` answer already written in one result format: its bytes, and how
    many solutions they hold (1 for an ``ASK``), so that a limit can be checked without
    reading them back."""

    body: bytes
    size: int

    @classmethod
    def of(cls, result: QueryResult, result_format: ResultFormat) -> WrittenResults:
        """``result`` written by :func:`write_results` (JSON compact)."""
        size = 1 if result.kind == "ask" else len(result)
        return cls(write_results(result, result_format, compact=True), size)


def write_results(
    result: QueryResult, result_format: ResultFormat | str, *, compact: bool = False
) -> bytes:
    """The bytes of a ``SELECT`` or ``ASK`` answer in ``result_format``; ``compact``: JSON on
    one line (written several times faster: what the server sends).

    :raises UsageError: unknown format, or the answer is a graph (write it as RDF instead).
    """
    fmt = (
        result_format
        if isinstance(result_format, ResultFormat)
        else ResultFormat.from_name(result_format)
    )
    if result.kind == "graph":
        raise UsageError(
            "a CONSTRUCT or DESCRIBE answer is a graph: write it in an RDF format "
            "(turtle, nt, json-ld, xml)"
        )
    if fmt is ResultFormat.JSON and compact:
        return json.dumps(_json_document(result), ensure_ascii=False).encode("utf-8")
    writer = {
        ResultFormat.TABLE: _table,
        ResultFormat.CSV: _csv,
        ResultFormat.TSV: _tsv,
        ResultFormat.JSON: _json,
        ResultFormat.XML: _xml,
    }[fmt]
    return writer(result).encode("utf-8")


# --- terms ---------------------------------------------------------------------------------


def _parts(term: Node | str) -> TermParts:
    try:
        return term_parts(term)
    except TypeError:
        raise UsageError(f"cannot write the term {term!r}") from None


def term_to_ntriples(term: Node | str) -> str:
    """A term in N-Triples syntax: ``<iri>``, ``_:label`` or a quoted literal (the export's
    spelling, :func:`il32rdf.terms.term_nt`).

    >>> from rdflib import Literal
    >>> term_to_ntriples(Literal("a\\tb", lang="en"))
    '"a\\\\tb"@en'
    """
    kind, value, language, datatype = _parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    return literal_nt(value, language=language, datatype=datatype)


def _readable(term: Node | str | None) -> str:
    if term is None:
        return ""
    kind, value, _, _ = _parts(term)
    if kind == "uri":
        return compress_iri(value) or value
    if kind == "bnode":
        return f"_:{value}"
    return value.replace("\n", " ")


# --- writers -------------------------------------------------------------------------------


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    cells = [[_readable(term) for term in row] for row in result.cells()]
    widths = [len(name) for name in result.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    count = len(cells)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _csv_value(term: Node | str | None) -> str:
    if term is None:
        return ""
    kind, value, _, _ = _parts(term)
    return f"_:{value}" if kind == "bnode" else value


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.columns)
        writer.writerows([_csv_value(term) for term in row] for row in result.cells())
    return buffer.getvalue()


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{name}" for name in result.columns)]
    for row in result.cells():
        lines.append("\t".join("" if t is None else term_to_ntriples(t) for t in row))
    return "\n".join(lines) + "\n"


def _json_term(term: Node | str) -> dict[str, str]:
    kind, value, language, datatype = _parts(term)
    item: dict[str, str] = {"type": kind, "value": value}
    if language:
        item["xml:lang"] = language
    elif datatype is not None:
        item["datatype"] = datatype
    return item


def _json(result: QueryResult) -> str:
    return json.dumps(_json_document(result), indent=2, ensure_ascii=False) + "\n"


def _json_document(result: QueryResult) -> dict[str, object]:
    document: dict[str, object]
    if result.kind == "ask":
        document = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {
                name: _json_term(term)
                for name, term in zip(result.columns, row, strict=True)
                if term is not None
            }
            for row in result.cells()
        ]
        document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return document


def _xml_term(term: Node | str) -> str:
    kind, value, language, datatype = _parts(term)
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    attributes = ""
    if language:
        attributes = f" xml:lang={quoteattr(language)}"
    elif datatype is not None:
        attributes = f" datatype={quoteattr(datatype)}"
    return f"<literal{attributes}>{escape(value)}</literal>"


def _xml(result: QueryResult) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if result.kind == "ask":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(name)}/>" for name in result.columns]
        lines += ["  </head>", "  <results>"]
        for row in result.cells():
            lines.append("    <result>")
            for name, term in zip(result.columns, row, strict=True):
                if term is not None:
                    lines.append(
                        f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                    )
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"
