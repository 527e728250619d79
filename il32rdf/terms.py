"""N-Triples term strings: the form in which every engine hands statements to the writers.

A statement is a triple of N-Triples term strings (``<http://...>``, ``_:b0``, ``"text"@en``,
``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``), spelt as Oxigraph spells them:
:func:`term_nt` turns an rdflib term into that form (control characters escaped, language tags
in lower case, no ``^^xsd:string``), :func:`rdflib_term` turns one back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "LineCollector",
    "Statement",
    "distinct_sorted",
    "rdflib_statements",
    "rdflib_term",
    "term_nt",
    "unescape",
]

Statement = tuple[str, str, str]
"""A triple of N-Triples term strings: subject, predicate, object."""


_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES: Final = {
    **{code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def term_nt(node: Node) -> str:
    """The N-Triples form of an rdflib term, spelt as Oxigraph spells it.

    >>> term_nt(Literal('say "hi"\\n', lang="EN"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> term_nt(URIRef("http://example.org/a"))
    '<http://example.org/a>'

    :raises TypeError: ``node`` is not an IRI, blank node or literal (e.g. a variable).
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        quoted = '"' + str(node).translate(_ESCAPES) + '"'
        if node.language:
            return f"{quoted}@{node.language.lower()}"
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f"{quoted}^^<{node.datatype}>"
        return quoted
    raise TypeError(f"not an RDF term: {node!r}")


_ESCAPE: Final = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES: Final = {
    "t": "\t",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


def unescape(text: str) -> str:
    """The characters an N-Triples string's escapes stand for (``\\n``, ``\\u00e9``...)."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match[1] or match[2]
        return chr(int(code, 16)) if code else _SIMPLE_ESCAPES.get(match[3], match[3])

    return _ESCAPE.sub(one, text)


def rdflib_term(text: str) -> Node:
    """An N-Triples term string as an rdflib term: a blank node keeps its label, a literal its
    lexical form and datatype exactly (rdflib's own parser would re-spell ``"01"^^xsd:integer``).

    >>> rdflib_term('"a\\tb"@en')
    rdflib.term.Literal('a\\tb', lang='en')
    """
    if text[0] == "<":
        return URIRef(text[1:-1])
    if text[0] == "_":
        return BNode(text[2:])
    end = text.rindex('"')
    lexical, rest = unescape(text[1:end]), text[end + 1 :]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if rest.startswith("^^"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]), normalize=False)
    return Literal(lexical)


def rdflib_statements(graph: Graph) -> Iterator[Statement]:
    """The statements of an rdflib graph as N-Triples term strings (see :func:`term_nt`)."""
    cache: dict[Node, str] = {}
    for triple in graph:
        row = []
        for term in triple:
            text = cache.get(term)
            if text is None:
                text = cache[term] = term_nt(term)
            row.append(text)
        yield row[0], row[1], row[2]


_LINE_END_TEXT: Final = " .\n"
_LINE_END: Final = _LINE_END_TEXT.encode("ascii")


def distinct_sorted(lines: list[str]) -> list[str]:
    """``lines`` sorted (in place) without repeats: a statement of several graphs once. Sorting
    first and then dropping equal neighbours is several times faster than a set when the lines
    come as sorted runs (each graph's dump)."""
    lines.sort()
    if len(lines) < 2:
        return lines
    last = lines[-1]
    kept = [line for line, after in itertools.pairwise(lines) if line != after]
    kept.append(last)
    return kept


class LineCollector:
    """A binary file-like object that keeps the N-Triples statements written to it, decoded
    from UTF-8, each as its line without the final `` .``.

    Handed to Oxigraph's ``Store.dump``, it reads a large N-Triples output piece by piece,
    without ever holding the whole text (for 1M triples: 260 MB in all instead of 650 MB, and
    faster). A line ends with `` .`` and a newline, which cannot occur inside one: N-Triples
    escapes the newlines of literals.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._rest = b""

    def write(self, piece: bytes) -> int:
        """Take ``piece``; the statements it completes become :attr:`lines` (a line's end may
        be split between two pieces)."""
        data = self._rest + piece
        head, end, tail = data.rpartition(_LINE_END)
        if end:
            self.lines += head.decode("utf-8").split(_LINE_END_TEXT)
            self._rest = tail
        else:
            self._rest = data
        return len(piece)

    @property
    def complete(self) -> bool:
        """Whether everything written so far ended a statement."""
        return not self._rest

    def flush(self) -> None:
        """Nothing to do: the lines are kept as they come."""
