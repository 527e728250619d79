"""Reading RDF files into a store: the one place that parses.

Each engine parses with its own parser today: rdflib's (:func:`parse_file`: Turtle,
N-Triples, JSON-LD, RDF/XML, chosen by the file's suffix; errors name the file and line), and
Oxigraph's bulk loader (also N-Quads and TriG), which never builds an rdflib term.
:func:`il32rdf.store.open.parse_inputs` is the only function that decides which reads a file,
so that moving every engine to one parser is one edit there.
"""

from __future__ import annotations

import json
import xml.sax
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from rdflib import Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from il32rdf import resources
from il32rdf.errors import InputError

__all__ = ["Input", "inputs", "parse_file"]

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


def parse_file(path: Path | str, graph: Graph | None = None) -> Graph:
    """Parse one RDF file (Turtle, N-Triples, JSON-LD or RDF/XML, chosen by its suffix).

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
        graph.parse(data=text, format=rdf_format, publicID=path.resolve().as_uri())
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


def _line_of(text: str, message: str) -> int | None:
    """Find the line an N-Triples ``Invalid line: ...`` message is about."""
    _, _, fragment = message.partition(": ")
    fragment = fragment.strip()
    if fragment:
        for number, line in enumerate(text.splitlines(), start=1):
            if fragment in line:
                return number
    return None
