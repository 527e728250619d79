"""Literals as they were written, on the Oxigraph engine.

An Oxigraph store holds the *value* of a number, boolean, date or duration, not its spelling:
``"01"^^xsd:integer`` comes back from it as ``"1"``, ``"1.50"^^xsd:decimal`` as ``"1.5"``,
``"123"^^xsd:byte`` as ``"123"^^xsd:integer``, and ``"01"`` and ``"1"`` of one subject and
predicate become one statement. No store mode keeps them (in memory and on disk alike). So the
store keeps the value, which SPARQL compares, and :class:`Spellings` keeps how each such
statement was written: the graph's statements (:meth:`Spellings.written`, hence every export)
are given back exactly as they were read, both spellings of a value when both were written.

What is not given back as written: a SPARQL answer on the Oxigraph engine holds the value as
the store does (``"1"``; rdflib's answer holds ``"01"``), and ``DATATYPE()`` of a
``"123"^^xsd:byte`` is ``xsd:integer`` there.

>>> held(ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")))
<Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
>>> held(ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal"))) is None
True
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Collection, Iterable, Iterator
from typing import Final

import pyoxigraph as ox

from il32rdf.ntterms import as_written, unescape

__all__ = ["XSD", "Spellings", "held", "may_be_respelt"]

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING: Final = XSD + "string"
_CANONICAL_INTEGER: Final = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
_SCRATCH: Final = ox.NamedNode("urn:il32rdf:scratch")
_held: dict[ox.Literal, ox.Literal | None] = {}
_scratch = ox.Store()
_scratch_lock = threading.Lock()

Key = tuple[object, object, object, object]
"""A statement as pyoxigraph terms: subject, predicate, object, graph."""


def held(literal: ox.Literal) -> ox.Literal | None:
    """What an Oxigraph store holds for ``literal`` when that is not ``literal`` itself (its
    lexical form or datatype changed), else ``None``. Asked of a scratch store once per distinct
    literal, except for the spellings known to be kept (strings, ``true``/``false``, integers
    without a sign or a leading zero)."""
    datatype = literal.datatype.value
    if not datatype.startswith(XSD) or datatype == _XSD_STRING or literal.language:
        return None
    name, value = datatype[len(XSD) :], literal.value
    if (name == "boolean" and value in ("true", "false")) or (
        name == "integer" and _CANONICAL_INTEGER.match(value)
    ):
        return None
    if literal in _held:
        return _held[literal]
    with _scratch_lock:
        _scratch.add(ox.Quad(_SCRATCH, _SCRATCH, literal))
        (kept,) = (q.object for q in _scratch.quads_for_pattern(_SCRATCH, None, None))
        _scratch.clear()
    found = None if kept == literal or not isinstance(kept, ox.Literal) else kept
    _held[literal] = found
    return found


class Spellings:
    """How the statements of an Oxigraph store whose literal it re-spelt were written: per graph
    (an N-Triples term), the line the store gives (``s p o`` without `` .``) -> the lines
    written, that line itself among them when it was written too."""

    def __init__(self, table: dict[str, dict[str, list[str]]] | None = None) -> None:
        self.table: dict[str, dict[str, list[str]]] = table if table is not None else {}
        self._keys: set[Key] = set()

    def __bool__(self) -> bool:
        return bool(self.table)

    def written(self, graph: str, lines: list[str]) -> list[str]:
        """The store's ``lines`` of ``graph`` as they were written (:func:`as_written`)."""
        return as_written(self.table.get(graph, {}), lines)

    def first(self, predicates: Collection[str] | None = None) -> str | None:
        """The first statement (by graph, then text) whose literal the store re-spells, as
        written and as held (``<s> <p> "300"^^<...#byte> (held as "300"^^<...#integer>)``),
        or ``None``; with ``predicates`` (IRIs), only the statements of those."""
        wanted = None if predicates is None else {f"<{p}>" for p in predicates}
        for graph in sorted(self.table):
            for line in sorted(self.table[graph]):
                _, p, held = _split(line)
                if wanted is not None and p not in wanted:
                    continue
                written = [w for w in self.table[graph][line] if w != line]
                if written:
                    return f"{written[0]} (held as {held})"
        return None

    def load(self, store: ox.Store, quads: Iterable[ox.Quad], graph: ox.NamedNode) -> None:
        """Add ``quads`` to ``store`` (those of the default graph into ``graph``), noting how
        each statement whose literal the store re-spells was written."""
        respelt: list[tuple[ox.Quad, ox.Literal]] = []
        default, literal, quad = ox.DefaultGraph, ox.Literal, ox.Quad
        keys = self._keys

        def kept() -> Iterator[ox.Quad]:
            for each in quads:
                if type(each.graph_name) is default:
                    each = quad(each.subject, each.predicate, each.object, graph)
                obj = each.object
                if type(obj) is literal:
                    value = held(obj)
                    if value is not None:  # the store would change it: added afterwards
                        respelt.append((each, value))
                        continue
                    if keys and (each.subject, each.predicate, obj, each.graph_name) in keys:
                        self._note_canonical(each)
                yield each

        store.bulk_extend(kept())
        for each, value in respelt:
            s, p, g = each.subject, each.predicate, each.graph_name
            key = (s, p, value, g)
            table = self.table.setdefault(str(g), {})
            line = f"{s} {p} {value}"
            if key not in keys:  # the value's own spelling: was it written (read before)?
                table[line] = [line] if any(store.quads_for_pattern(s, p, value, g)) else []
                keys.add(key)
            table[line] = sorted({*table[line], f"{s} {p} {each.object}"})
        store.extend(
            quad(each.subject, each.predicate, each.object, each.graph_name) for each, _ in respelt
        )

    def _note_canonical(self, each: ox.Quad) -> None:
        line = f"{each.subject} {each.predicate} {each.object}"
        table = self.table[str(each.graph_name)]
        table[line] = sorted({*table[line], line})

    def dumps(self) -> str:
        """The table as JSON, to keep beside an on-disk store."""
        return json.dumps(self.table, indent=0, sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> Spellings:
        """The table :meth:`dumps` wrote (the keys of statements read later are rebuilt)."""
        spellings = cls(json.loads(text))
        for graph, table in spellings.table.items():
            g = _term(graph)
            for line in table:
                s, p, o = (_term(t) for t in _split(line))
                spellings._keys.add((s, p, o, g))
        return spellings


def _split(line: str) -> tuple[str, str, str]:
    s, p, o = line.split(" ", 2)
    return s, p, o


def _term(text: str) -> object:
    """An N-Triples term as pyoxigraph's."""
    if text[0] == "<":
        return ox.NamedNode(text[1:-1])
    if text[0] == "_":
        return ox.BlankNode(text[2:])
    (one,) = ox.parse(f"<urn:s> <urn:p> {text} .", ox.RdfFormat.N_TRIPLES)
    return one.object


# --- which inputs hold a literal the store would re-spell -------------------------------------

_NT_TYPED: Final = re.compile(
    rb'"((?:[^"\\\n\r]|\\.)*)"\^\^<(' + re.escape(XSD.encode()) + rb"[A-Za-z]+)>"
)
_TURTLE_NUMBER: Final = re.compile(  # after what may come before a number: a set to search for
    rb"[\s,;(\[>](?:([+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+))"
    rb"|([+-]?[0-9]*\.[0-9]+)|([+-]?[0-9]+))"
)
"""A Turtle number (double, decimal, integer: the group that matched) and the character before
it, so that the search starts at a character of a set (several times faster than a look back)."""


def may_be_respelt(data: bytes, fmt: ox.RdfFormat) -> bool:
    """Whether the RDF text ``data`` may hold a literal that the store would re-spell (when it
    may not, the store reads it itself, several times faster). Exact for N-Triples and
    N-Quads; for the other formats a look at the text that errs on the side of "may"."""
    if fmt is ox.RdfFormat.JSON_LD:
        return True
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        if data.find(b'"^^<' + XSD.encode()) < 0:
            return False
        typed = {(m[1], m[2]) for m in _NT_TYPED.finditer(data)}
        return any(_respelt(lexical.decode("utf-8", "replace"), dt) for lexical, dt in typed)
    if fmt is ox.RdfFormat.RDF_XML:  # and XML literals, which the parser makes canonical
        return data.find(b"datatype") >= 0 or data.find(b"parseType") >= 0
    if data.find(b"^^") >= 0:
        return True
    numbers = set(_TURTLE_NUMBER.findall(b" " + data[:64]))  # one at the very start, too
    numbers.update(_TURTLE_NUMBER.findall(data))
    kinds = (
        ("double", double) if double else ("decimal", decimal) if decimal else ("integer", integer)
        for double, decimal, integer in numbers
        if not _CANONICAL_INTEGER.match(integer.decode("ascii"))  # kept as written (held)
    )
    return any(_respelt(text.decode("ascii"), f"{XSD}{kind}".encode()) for kind, text in kinds)


def _respelt(lexical: str, datatype: bytes) -> bool:
    literal = ox.Literal(unescape(lexical), datatype=ox.NamedNode(datatype.decode("ascii")))
    return held(literal) is not None
