"""Reading RDF files into a store: the one place that parses.

Each engine parses with its own parser today: rdflib's for the rdflib engine (Turtle,
N-Triples, JSON-LD, RDF/XML, chosen by the file's suffix; errors name the file and line), and
Oxigraph's bulk loader for Oxigraph (also N-Quads and TriG), which never builds an rdflib term.
:func:`parse_inputs` is the only function that decides, so that moving every engine to one
parser is one edit here.
"""

from __future__ import annotations

import json
import xml.sax
from collections.abc import Iterable, Mapping, Sequence, Set
from pathlib import Path
from typing import TYPE_CHECKING, Final

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from il32rdf import resources
from il32rdf.errors import InputError
from il32rdf.vocab import GRAPH_NAMES, PREFIXES

if TYPE_CHECKING:
    from il32rdf.store.base import Store

__all__ = [
    "Input",
    "dataset_of_lines",
    "graph_of_lines",
    "inputs",
    "new_dataset",
    "parse_file",
    "parse_inputs",
]

Input = tuple[str, Path]
"""A file to read and the named graph (``ontology`` or ``facts``) it goes into."""


def inputs(files: Iterable[Path | str] = (), *, bundled: bool = True) -> list[Input]:
    """What a store is made of: the bundled ontology files into the ontology graph, the bundled
    facts and ``files`` into the facts graph."""
    found = [("ontology", p) for p in resources.ontology_files()] if bundled else []
    found += [("facts", p) for p in resources.fact_files()] if bundled else []
    return found + [("facts", Path(p)) for p in files]


def parse_inputs(
    store: Store, files: Sequence[Input], *, by_rdflib: Set[Path] = frozenset()
) -> None:
    """Parse ``files`` into their graphs of ``store``: by rdflib's parser on the rdflib engine
    and for the files ``by_rdflib`` (copied into the store as N-Triples), else by Oxigraph's
    bulk loader.

    :raises InputError: a file is missing, of an unknown type, or malformed (the message names
        the file and, where the parser says, the line).
    """
    from il32rdf.store.oxigraph_store import OxigraphStore
    from il32rdf.store.rdflib_store import RdflibStore
    from il32rdf.turtle import rdflib_statements

    for graph_name, path in files:
        if isinstance(store, RdflibStore):
            parse_file(path, store.named(graph_name))
        elif path in by_rdflib:
            store.add(graph_name, rdflib_statements(parse_file(path)))
        elif isinstance(store, OxigraphStore):
            store.bulk_load(path, graph_name)
        else:
            raise InputError(f"files cannot be loaded into a {store.engine} store from here")


def new_dataset() -> Dataset:
    """An empty rdflib Dataset whose default graph is the union of its named graphs, with the
    project's prefixes bound."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def graph_of_lines(lines: Iterable[str]) -> Graph:
    """An rdflib Graph of N-Triples lines without their `` .`` (prefixes bound).

    :raises InputError: rdflib cannot read them.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    _parse_lines(graph, lines)
    return graph


def dataset_of_lines(graphs: Mapping[str, Iterable[str]]) -> Dataset:
    """An rdflib Dataset of the named graphs' N-Triples lines (short name -> lines).

    :raises InputError: rdflib cannot read them.
    """
    dataset = new_dataset()
    for name, lines in graphs.items():
        _parse_lines(dataset.graph(GRAPH_NAMES[name]), lines)
    return dataset


def _parse_lines(graph: Graph, lines: Iterable[str]) -> None:
    text = "".join(f"{line} .\n" for line in lines)
    try:
        graph.parse(data=text, format="nt")
    except Exception as exc:  # rdflib's parsers raise several kinds
        raise InputError(f"rdflib cannot read the store's data: {exc}") from None


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
