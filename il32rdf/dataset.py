"""Load the bundled ontology and facts (and a user's RDF files) into one rdflib Dataset.

The dataset has three named graphs:

- ``ontology`` (:data:`ONTOLOGY_GRAPH`): the TBox, ``ontology/*.ttl``;
- ``facts`` (:data:`FACTS_GRAPH`): the claims and the entities they talk about,
  ``ontology/facts/*.ttl`` plus any user file;
- ``inferred`` (:data:`INFERRED_GRAPH`): what follows from the other two. Every positive claim
  contributes its plain edge (``subject predicate object``), so simple SPARQL stays simple.

The default graph is the union of the three (``Dataset(default_union=True)``).
"""

from __future__ import annotations

import contextlib
import json
import threading
import xml.sax
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

import rdflib
from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from il32rdf import resources
from il32rdf.errors import InputError, UsageError
from il32rdf.vocab import GRAPH, IL32, PREFIXES

__all__ = [
    "FACTS_GRAPH",
    "GRAPH_NAMES",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "as_read",
    "claim_edges",
    "graph_by_name",
    "literals_as_written",
    "load",
    "parse_file",
]

ONTOLOGY_GRAPH: Final = GRAPH.ontology
FACTS_GRAPH: Final = GRAPH.facts
INFERRED_GRAPH: Final = GRAPH.inferred

GRAPH_NAMES: Final[Mapping[str, URIRef]] = MappingProxyType(
    {"ontology": ONTOLOGY_GRAPH, "facts": FACTS_GRAPH, "inferred": INFERRED_GRAPH}
)
"""The short names used on the command line, mapped to the graphs' IRIs."""

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
    ``"none"^^xsd:boolean`` as ``false``, ``"1.50"^^xsd:decimal`` as ``"1.5"``), except a
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


def load(data: Iterable[Path | str] = (), *, bundled: bool = True) -> Dataset:
    """Return the knowledge graph as a Dataset with graphs ontology / facts / inferred.

    :param data: the user's RDF files, added to the ``facts`` graph.
    :param bundled: include the bundled ontology and facts (``False``: only ``data``).
    :raises InputError: a file is missing or malformed.
    """
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    if bundled:
        for path in resources.ontology_files():
            parse_file(path, ontology)
        for path in resources.fact_files():
            parse_file(path, facts)
    for user_file in data:
        parse_file(user_file, facts)
    inferred = dataset.graph(INFERRED_GRAPH)
    for triple in claim_edges(facts):
        inferred.add(triple)
    return dataset


def claim_edges(graph: Graph) -> Iterable[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The plain edge ``subject predicate object`` of every positive claim in ``graph``.

    A claim is positive when its ``il32:negated`` flag is ``false``; a negated claim, or one
    without a well-formed flag, gives no edge; nor does a claim with two subjects, predicates or
    objects (the shapes report it). :meth:`il32rdf.engine.OxigraphStore.load` applies the same
    rule to Oxigraph's terms. (rdflib reads an ill-typed boolean such as ``"nope"`` as false,
    Oxigraph does not: such a flag gives an edge here only.)
    """
    for claim in set(graph.subjects(RDF.type, IL32.Claim)):
        flags = list(graph.objects(claim, IL32.negated))
        if len(flags) != 1 or not isinstance(flags[0], Literal) or flags[0].value is not False:
            continue
        subject, predicate, obj = (
            _only(graph.objects(claim, key)) for key in (RDF.subject, RDF.predicate, RDF.object)
        )
        if (
            isinstance(subject, URIRef)
            and isinstance(predicate, URIRef)
            and isinstance(obj, URIRef | Literal)
        ):
            yield subject, predicate, obj


def _only(values: Iterable[Node]) -> Node | None:
    found = set(values)
    return found.pop() if len(found) == 1 else None


def graph_by_name(dataset: Dataset, name: str) -> Graph:
    """One named graph (``ontology``, ``facts``, ``inferred``) or ``all`` (their union).

    :raises UsageError: ``name`` is none of these.
    """
    if name == "all":
        union = Graph()
        for prefix, namespace in dataset.namespaces():
            union.bind(prefix, namespace, override=True, replace=True)
        for iri in GRAPH_NAMES.values():
            for triple in dataset.graph(iri):
                union.add(triple)
        return union
    if name not in GRAPH_NAMES:
        raise UsageError(f"unknown graph {name!r}; use one of: {', '.join([*GRAPH_NAMES, 'all'])}")
    return dataset.graph(GRAPH_NAMES[name])
