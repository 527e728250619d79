"""Reading RDF files: one parser, Oxigraph's, for every input on every engine.

Oxigraph's parsers are strict (they refuse what the grammars forbid: bad IRIs, bad escapes, bad
structure) and fast. Every file is read by :func:`quads`: the format by its suffix (Turtle,
N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), the file's own URL as the base IRI (so relative
IRIs resolve), blank nodes fresh for each file; a malformed file is refused with one line that
gives the file, the line and the column. The engines take what it reads:

- Oxigraph: :func:`load_oxigraph` hands the quads to the store, noting the spelling of each
  literal the store would re-spell (:mod:`~il32rdf.store.spellings`), or lets the store read the
  file itself when it holds no such literal (several times faster);
- rdflib: :func:`load_rdflib` makes rdflib terms of them, literals exactly as written.

Quads in the file's default graph go into the graph the caller names (``facts`` for a user's
file); quads in a named graph keep it (see :func:`il32rdf.store.open_store`).
"""

from __future__ import annotations

import contextlib
import mmap
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final
from xml.etree import ElementTree

import pyoxigraph as ox

from il32rdf import resources
from il32rdf.errors import InputError
from il32rdf.store.spellings import Spellings, may_be_respelt

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef

__all__ = [
    "SUFFIXES",
    "Input",
    "base_iri",
    "inputs",
    "load_oxigraph",
    "load_rdflib",
    "parse_file",
    "quads",
    "rdf_format",
]

Input = tuple[str, Path]
"""A file to read and the named graph (``ontology`` or ``facts``) its default graph goes into."""


def inputs(files: Iterable[Path | str] = (), *, bundled: bool = True) -> list[Input]:
    """What a store is made of: the bundled ontology files into the ontology graph, the bundled
    facts and ``files`` into the facts graph."""
    found = [("ontology", p) for p in resources.ontology_files()] if bundled else []
    found += [("facts", p) for p in resources.fact_files()] if bundled else []
    return found + [("facts", Path(p)) for p in files]


SUFFIXES: Final = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
"""The file name suffixes read, and the format of each."""


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format of ``path``, by its suffix.

    :raises InputError: the suffix names no format read here; the message lists those that do.
    """
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        known = ", ".join(SUFFIXES)
        raise InputError(f"unknown RDF file type {path.suffix!r}; use one of {known}", path=path)
    return found


def base_iri(path: Path) -> str:
    """The base IRI of the file ``path``: its own ``file:`` URL."""
    return path.resolve().as_uri()


def _checked(path: Path | str) -> tuple[Path, ox.RdfFormat]:
    path = Path(path)
    fmt = rdf_format(path)
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not an RDF file", path=path)
    return path, fmt


_PLACE: Final = re.compile(r"^Parser error (?:at|between) [^:]*: ")
_TAIL: Final = re.compile(r" \([^()]*, line \d+\)$")


def _refusal(path: Path, fmt: ox.RdfFormat, exc: Exception) -> InputError:
    """One line for a parser's complaint: where (when the parser says) and what."""
    if isinstance(exc, SyntaxError):
        text = _TAIL.sub("", _PLACE.sub("", str(exc.msg or exc)))
        line, column = exc.lineno, exc.offset
    else:
        text, line, column = str(exc), None, None
    message = " ".join(text.split())
    return InputError(f"malformed {fmt.name}: {message}", path=path, line=line, column=column)


@contextlib.contextmanager
def _reading(path: Path, fmt: ox.RdfFormat) -> Iterator[None]:
    try:
        yield
    except SyntaxError as exc:
        raise _refusal(path, fmt, exc) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8: {exc.reason}", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    except ValueError as exc:  # e.g. a JSON-LD document Oxigraph cannot read
        raise _refusal(path, fmt, exc) from None


def quads(path: Path | str, prefixes: dict[str, str] | None = None) -> Iterator[ox.Quad]:
    """The quads of the RDF file ``path`` as Oxigraph's parser reads them (see the module's
    docstring); a triples format gives quads of the default graph. The XML literals of RDF/XML
    (``rdf:parseType="Literal"``) are made canonical, as the RDF/XML grammar says (Oxigraph
    keeps every namespace declaration in scope). Once the quads are read, ``prefixes`` (if
    given) holds the prefixes the file declares.

    :raises InputError: the file is missing, of an unknown type, unreadable or malformed
        (``FILE:LINE:COLUMN: malformed FORMAT: what``), when the quads are read.
    """
    path, fmt = _checked(path)
    with _reading(path, fmt):
        read = ox.parse(
            path=str(path), format=fmt, base_iri=base_iri(path), rename_blank_nodes=True
        )
        if fmt is not ox.RdfFormat.RDF_XML:
            yield from read
        else:
            for quad in read:
                obj = quad.object
                if isinstance(obj, ox.Literal) and obj.datatype == _XML_LITERAL:
                    obj = ox.Literal(_canonical_xml(obj.value), datatype=_XML_LITERAL)
                    quad = ox.Quad(quad.subject, quad.predicate, obj, quad.graph_name)
                yield quad
        if prefixes is not None:
            prefixes.update(read.prefixes)


_XML_LITERAL: Final = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral")


def _canonical_xml(content: str) -> str:
    """XML content in canonical form (namespace declarations only where used, attributes in
    order, empty elements as start and end tags), comments kept."""
    try:
        wrapped = ElementTree.canonicalize(f"<w>{content}</w>", with_comments=True)
    except ElementTree.ParseError:
        return content
    return wrapped[len("<w>") : -len("</w>")]


def load_oxigraph(
    store: ox.Store, path: Path | str, graph: ox.NamedNode, spellings: Spellings
) -> None:
    """Load the RDF file ``path`` into ``store``: its default graph into ``graph``, its named
    graphs as they are, the spelling of every literal the store re-spells kept in
    ``spellings``.

    :raises InputError: as :func:`quads`.
    """
    path, fmt = _checked(path)
    if not spellings and not _may_be_respelt(path, fmt):  # the store reads the file itself
        with _reading(path, fmt):
            store.bulk_load(path=str(path), format=fmt, base_iri=base_iri(path), to_graph=graph)
        return
    spellings.load(store, quads(path), graph)


def _may_be_respelt(path: Path, fmt: ox.RdfFormat) -> bool:
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return may_be_respelt(data, fmt)  # type: ignore[arg-type]


def load_rdflib(path: Path | str, target: Dataset, graph: URIRef | None = None) -> None:
    """Add the statements of the RDF file ``path`` to ``target``: the default graph's into the
    graph ``graph``, the named graphs' into theirs. Literals keep their lexical form and
    datatype; the file is read whole before any term is made, so a malformed file is refused
    before anything is added or said.

    :raises InputError: as :func:`quads`.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from il32rdf.store.oxterms import node, rdflib_triple
    from il32rdf.terms import quiet_rdflib

    read = list(quads(path))
    with quiet_rdflib():
        default = target.graph(graph if graph is not None else DATASET_DEFAULT_GRAPH_ID)
        graphs: dict[ox.NamedNode | ox.BlankNode, Graph] = {}
        rows = []
        for q in read:
            name = q.graph_name
            if isinstance(name, ox.DefaultGraph):
                into = default
            else:
                into = graphs.get(name) or graphs.setdefault(name, target.graph(node(name)))  # type: ignore[arg-type]
            rows.append((*rdflib_triple(q), into))
        target.addN(rows)


def parse_file(path: Path | str, graph: Graph | None = None) -> Graph:
    """The statements of the RDF file ``path`` (any format of :data:`SUFFIXES`; the named graphs
    of N-Quads and TriG merged) in an rdflib Graph: ``graph`` if given, else a new one, with
    the prefixes the file declares bound in it (a shapes graph's SPARQL may use them, as
    pySHACL reads them). A store's data get none: a query names its own prefixes.

    :raises InputError: as :func:`quads`.
    """
    from rdflib import Graph

    from il32rdf.store.oxterms import rdflib_triple
    from il32rdf.terms import quiet_rdflib

    graph = graph if graph is not None else Graph()
    prefixes: dict[str, str] = {}
    read = list(quads(path, prefixes))
    with quiet_rdflib():
        graph.addN((*rdflib_triple(q), graph) for q in read)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    return graph
