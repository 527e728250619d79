"""Reading RDF files into a store: the one place that parses.

Each engine parses with its own parser today: rdflib's (:func:`parse_file`: Turtle,
N-Triples, JSON-LD, RDF/XML, chosen by the file's suffix; errors name the file and line), and
Oxigraph's bulk loader (also N-Quads and TriG), which never builds an rdflib term.
:func:`il32rdf.store.open.parse_inputs` is the only function that decides which reads a file,
so that moving every engine to one parser is one edit there.
"""

from __future__ import annotations

import contextlib
import json
import threading
import xml.sax
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

import rdflib
from rdflib import XSD, Graph, Literal
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from il32rdf import resources
from il32rdf.errors import InputError

__all__ = ["Input", "as_read", "inputs", "literals_as_written", "parse_file"]

Input = tuple[str, Path]
"""A file to read and the named graph (``ontology`` or ``facts``) it goes into."""


def inputs(files: Iterable[Path | str] = (), *, bundled: bool = True) -> list[Input]:
    """What a store is made of: the bundled ontology files into the ontology graph, the bundled
    facts and ``files`` into the facts graph."""
    found = [("ontology", p) for p in resources.ontology_files()] if bundled else []
    found += [("facts", p) for p in resources.fact_files()] if bundled else []
    return found + [("facts", Path(p)) for p in files]


_FORMAT_BY_SUFFIX: Final = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
}


def parse_file(path: Path | str, graph: Graph | None = None, *, as_written: bool = False) -> Graph:
    """Parse one RDF file (Turtle, N-Triples, JSON-LD or RDF/XML, chosen by its suffix).

    Literals are kept as the file writes them (rdflib alone would re-spell
    ``"none"^^xsd:boolean`` as ``false``, ``"01.50"^^xsd:decimal`` as ``"1.50"``), except a
    well-typed boolean or integer, which takes its canonical form (``"1"^^xsd:boolean`` is
    ``true``, the form both rdflib and Oxigraph give it), unless ``as_written`` (for shapes
    graphs, where SHACL tells ``"1"^^xsd:boolean`` from ``true``).

    :raises InputError: the file is missing or unreadable, its suffix names no RDF format, or it
        is malformed; the message names the file and, where the parser says, the line.
    """
    path = Path(path)
    graph = graph if graph is not None else Graph()
    rdf_format = _FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(sorted(_FORMAT_BY_SUFFIX))
        raise InputError(f"unknown RDF file type {path.suffix!r}; use one of {known}", path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not an RDF file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    try:
        sink = graph if as_written else _CanonicalWhereWellTyped(graph)
        with literals_as_written():
            sink.parse(data=text, format=rdf_format, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise InputError(f"malformed Turtle: {exc._why}", path=path, line=exc.lines + 1) from None
    except ParserError as exc:
        raise InputError(
            f"malformed N-Triples: {exc}", path=path, line=_line_of(text, str(exc))
        ) from None
    except xml.sax.SAXParseException as exc:
        raise InputError(
            f"malformed RDF/XML: {exc.getMessage()}", path=path, line=exc.getLineNumber()
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON-LD: {exc.msg}", path=path, line=exc.lineno) from None
    except Exception as exc:  # rdflib raises many types; name the file whatever it was
        raise InputError(f"cannot parse as {rdf_format}: {exc}", path=path) from None
    return graph


_NORMALIZE: Final = threading.Lock()


@contextlib.contextmanager
def literals_as_written() -> Iterator[None]:
    """While it lasts, rdflib makes each literal with its lexical form as given ("none"^^xsd:boolean
    stays "none", not "false"; "05"^^xsd:integer stays "05"). rdflib reads the setting from a
    module global when it makes a literal: it is switched off, under a lock."""
    with _NORMALIZE:
        saved = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            yield
        finally:
            rdflib.NORMALIZE_LITERALS = saved


class _CanonicalWhereWellTyped(Graph):
    """A view of ``target`` (its store and name) that adds a well-typed boolean or integer in
    its canonical form (``"1"^^xsd:boolean`` as ``true``, ``"05"^^xsd:integer`` as ``5``, as
    Oxigraph holds them) and every other literal as the file writes it."""

    def __init__(self, target: Graph) -> None:
        super().__init__(
            store=target.store,
            identifier=target.identifier,
            namespace_manager=target.namespace_manager,
        )

    def add(self, triple: tuple[Node, Node, Node]) -> _CanonicalWhereWellTyped:
        s, p, o = triple
        if isinstance(o, Literal):
            o = as_read(o)
        return super().add((s, p, o))


_CANONICAL: Final = frozenset({XSD.boolean, XSD.integer})


def as_read(literal: Literal) -> Literal:
    """A literal as :func:`parse_file` holds it: a well-typed boolean or integer in its
    canonical form, any other literal as written."""
    if literal.datatype in _CANONICAL and not literal.ill_typed:
        return Literal(str(literal), datatype=literal.datatype, normalize=True)
    return literal


def _line_of(text: str, message: str) -> int | None:
    """Find the line an N-Triples ``Invalid line: ...`` message is about."""
    _, _, fragment = message.partition(": ")
    fragment = fragment.strip()
    if fragment:
        for number, line in enumerate(text.splitlines(), start=1):
            if fragment in line:
                return number
    return None
