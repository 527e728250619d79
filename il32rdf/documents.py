"""RDF/XML, written as it is made from the sorted N-Triples lines of a graph, and what it
shares with the JSON-LD writer (:mod:`il32rdf.jsonld`): N-Triples literals read.

Deterministic: one ``rdf:Description`` per subject, subjects in the order of their N-Triples
text (IRIs, then blank nodes), and blank nodes with canonical labels
(:func:`il32rdf.canon.blank_labels`), so any engine, any hash seed, gives the same bytes.
Literals are written exactly as held (lexical form and datatype).

Written so that every reader gets the same graph back: a carriage return is written ``&#13;``
(an XML reader turns a bare one into a line feed); a property IRI is split into a namespace and
the longest XML name that ends it (``http://example/3.p`` as ``ns:p`` of
``http://example/3.``). What RDF/XML cannot hold is refused, naming the statement: a character
XML 1.0 forbids (most control characters), a property with no XML name, or one of RDF/XML's own
syntax names as a property (``rdf:li`` would be read back as ``rdf:_1``).

The text is made subject by subject: nothing but the lines is held (each statement is split
into its terms as it is read; only those with a blank node are relabelled and held). The
namespaces the header declares and what RDF/XML refuses are found by a first pass over the
lines, before a byte is written.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Final

from il32rdf.errors import ExportError
from il32rdf.ntriples import relabelled_lines, split
from il32rdf.ntterms import Statement, remember, unescape
from il32rdf.prefixes import PREFIXES
from il32rdf.xmltext import escape, quoteattr

__all__ = ["Literals", "rdfxml_chunks"]

_RDF: Final = PREFIXES["rdf"]
_CHUNK: Final = 5_000  # subjects per chunk of text

# --- statements --------------------------------------------------------------------------------


def _by_subject(statements: Iterable[Statement]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    for subject, group in itertools.groupby(statements, key=lambda t: t[0]):
        yield subject, [(p, o) for _, p, o in group]


class Literals:
    """N-Triples literals read: (lexical form, language, datatype IRI), exactly as written."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str | None, str | None]] = {}

    def __call__(self, text: str) -> tuple[str, str | None, str | None]:
        found = self._cache.get(text)
        if found is None:
            found = remember(self._cache, text, self._read(text))
        return found

    @staticmethod
    def _read(text: str) -> tuple[str, str | None, str | None]:
        end = text.rindex('"')
        lexical = unescape(text[1:end])
        rest = text[end + 1 :]
        if rest.startswith("@"):
            return lexical, rest[1:], None
        if rest.startswith("^^"):
            return lexical, None, rest[3:-1]
        return lexical, None, None


# --- RDF/XML -----------------------------------------------------------------------------------

_NAME_START: Final = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_LOCAL_NAME: Final = re.compile(
    f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*\\Z"
)
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SYNTAX_NAMES: Final = frozenset(
    _RDF + name
    for name in [
        "RDF",
        "ID",
        "about",
        "bagID",
        "parseType",
        "resource",
        "nodeID",
        "datatype",
        "Description",
        "aboutEach",
        "aboutEachPrefix",
        "li",
    ]
)
"""RDF/XML's own names, which no property element may have (``rdf:li`` is read as rdf:_n)."""


def _split_predicate(iri: str) -> tuple[str, str]:
    """A namespace and the longest XML name (NCName) that ends ``iri``.

    :raises ExportError: no XML name ends it, or it is one of RDF/XML's syntax names.
    """
    if iri in _SYNTAX_NAMES:
        raise ExportError(
            f"RDF/XML cannot hold the property <{iri}>: it is RDF/XML's own syntax"
            " (it would be read back otherwise); write Turtle, N-Triples or JSON-LD"
        )
    match = _LOCAL_NAME.search(iri)
    if match is None or match.start() == 0:
        raise ExportError(
            f"RDF/XML cannot hold the property <{iri}>: no XML name ends it;"
            " write Turtle, N-Triples or JSON-LD"
        )
    return iri[: match.start()], iri[match.start() :]


class _QNames:
    def __init__(self) -> None:
        self.prefix_of = {namespace: prefix for prefix, namespace in sorted(PREFIXES.items())}
        self.prefix_of[_RDF] = "rdf"
        self.declared: dict[str, str] = {_RDF: "rdf"}
        self._cache: dict[str, str] = {}

    def __call__(self, predicate: str) -> str:
        name = self._cache.get(predicate)
        if name is None:
            namespace, local = _split_predicate(predicate[1:-1])
            if namespace not in self.declared:
                prefix = self.prefix_of.get(namespace) or f"ns{len(self.declared)}"
                self.declared[namespace] = prefix
            name = self._cache[predicate] = f"{self.declared[namespace]}:{local}"
        return name


def _xml_text(text: str, statement: Statement) -> str:
    """``text`` as XML character data, carriage returns as ``&#13;``.

    :raises ExportError: it holds a character that XML 1.0 cannot carry.
    """
    bad = _NOT_XML.search(text)
    if bad is not None:
        s, p, o = statement
        shown = o if len(o) < 60 else o[:57] + "..."
        raise ExportError(
            f"RDF/XML cannot hold {s} {p} {shown}: U+{ord(bad[0]):04X} is not allowed in XML 1.0;"
            " write Turtle, N-Triples or JSON-LD"
        )
    return escape(text, carriage_returns=True)


def rdfxml_chunks(lines: list[str]) -> Iterator[str]:
    """RDF/XML of the graph of the sorted N-Triples ``lines``, in pieces: one
    ``rdf:Description`` per subject, blank nodes as ``rdf:nodeID``.

    :raises ExportError: RDF/XML cannot hold a statement (see the module's docstring), before
        anything is made.
    """
    qname = _QNames()
    literal = Literals()
    lines = relabelled_lines(lines)
    for s, p, o in map(split, lines):  # first pass: namespaces, what XML refuses
        qname(p)
        for term in (s, o) if o[0] != '"' else (s, literal(o)[0], literal(o)[2] or ""):
            _xml_text(term, (s, p, o))
    namespaces = "".join(
        f"\n    xmlns:{prefix}={quoteattr(namespace)}"
        for namespace, prefix in sorted(qname.declared.items(), key=lambda item: item[1])
    )
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{namespaces}>\n'
    out: list[str] = []
    count = -1
    for count, (subject, pairs) in enumerate(_by_subject(map(split, lines))):
        about = (
            f"rdf:nodeID={quoteattr(subject[2:])}"
            if subject[0] == "_"
            else f"rdf:about={quoteattr(subject[1:-1])}"
        )
        out.append(f"  <rdf:Description {about}>\n")
        for p, o in sorted(pairs, key=_object_key):
            name = qname(p)
            if o[0] == "<":
                out.append(f"    <{name} rdf:resource={quoteattr(o[1:-1])}/>\n")
            elif o[0] == "_":
                out.append(f"    <{name} rdf:nodeID={quoteattr(o[2:])}/>\n")
            else:
                lexical, language, datatype = literal(o)
                attributes = ""
                if language:
                    attributes = f" xml:lang={quoteattr(language)}"
                elif datatype is not None:
                    attributes = f" rdf:datatype={quoteattr(datatype)}"
                text = _xml_text(lexical, (subject, p, o))
                out.append(f"    <{name}{attributes}>{text}</{name}>\n")
        out.append("  </rdf:Description>\n")
        if count % _CHUNK == _CHUNK - 1:
            yield "".join(out)
            out.clear()
    out.append("</rdf:RDF>\n" if count >= 0 else "\n</rdf:RDF>\n")
    yield "".join(out)


def _object_key(pair: tuple[str, str]) -> tuple[str, str, str]:
    """A subject's values by predicate, then IRIs, blank nodes, literals (``<`` ``_`` ``"``
    would sort otherwise), each by its text."""
    p, o = pair
    return p, {"<": "0", "_": "1"}.get(o[0], "2"), o
