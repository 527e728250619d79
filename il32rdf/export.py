"""Deterministic RDF output: the same graph gives the same bytes, whatever ``PYTHONHASHSEED``
and whichever engine holds it.

rdflib's own N-Triples, JSON-LD and RDF/XML writers follow the order of Python sets and label
blank nodes at random, so two runs differ (rdflib#3545). Here every format writes its statements
in sorted order with canonical blank-node labels:

- Turtle, N-Triples and N-Quads: :mod:`il32rdf.turtle`, fed the statements as N-Triples term
  strings, by rdflib (:func:`il32rdf.turtle.rdflib_statements`) or by an Oxigraph store
  (:meth:`il32rdf.engine.OxigraphStore.statements`, or its sorted N-Triples ``lines`` for
  Turtle); the two give the same bytes. The text is
  streamed to the file as it is made. N-Quads labels blank nodes graph by graph;
- JSON-LD: one node object per subject, sorted, with a context built from :data:`PREFIXES`;
- RDF/XML: one ``rdf:Description`` per subject, sorted, blank nodes as ``rdf:nodeID``.
  These two start from the canonical form of the graph
  (:func:`rdflib.compare.to_canonical_graph`, stable blank-node labels); from an Oxigraph store
  the statements are first copied into an rdflib graph (as sorted N-Triples).

Files are written to a temporary file beside the target and renamed, so a reader never sees a
half-written file and a failure leaves nothing behind.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from il32rdf.errors import ExportError, UsageError
from il32rdf.files import write_chunks
from il32rdf.names import NamedEnum
from il32rdf.store import Store, as_store, check_graph
from il32rdf.turtle import (
    Statement,
    ntriples_chunks,
    rdflib_statements,
    turtle_chunks,
    turtle_chunks_of_lines,
)
from il32rdf.vocab import GRAPH_NAMES, PREFIXES, compress_iri

__all__ = [
    "RdfFormat",
    "export",
    "export_file",
    "serialize",
    "serialize_dataset",
]


class RdfFormat(NamedEnum):
    """The formats il32rdf writes: ``value`` is the name used on the command line."""

    TURTLE = "turtle"
    NTRIPLES = "nt"
    JSONLD = "json-ld"
    RDFXML = "xml"
    NQUADS = "nquads"

    @property
    def file_extension(self) -> str:
        """The usual file name suffix, e.g. ``".ttl"``."""
        return _EXTENSIONS[self]

    @property
    def media_type(self) -> str:
        """The IANA media type, e.g. ``"text/turtle"``."""
        return _MEDIA_TYPES[self]

    @classmethod
    def noun(cls) -> str:
        return "format"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Common other names: ``ttl``, ``ntriples``, ``jsonld``, ``rdfxml``, ``owl``, ``nq``..."""
        return _ALIASES


_EXTENSIONS = {
    RdfFormat.TURTLE: ".ttl",
    RdfFormat.NTRIPLES: ".nt",
    RdfFormat.JSONLD: ".jsonld",
    RdfFormat.RDFXML: ".owl",
    RdfFormat.NQUADS: ".nq",
}
_MEDIA_TYPES = {
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.NTRIPLES: "application/n-triples",
    RdfFormat.JSONLD: "application/ld+json",
    RdfFormat.RDFXML: "application/rdf+xml",
    RdfFormat.NQUADS: "application/n-quads",
}
_ALIASES = {
    alias: fmt.value
    for fmt, names in (
        (RdfFormat.TURTLE, ("ttl",)),
        (RdfFormat.NTRIPLES, ("ntriples", "n-triples")),
        (RdfFormat.JSONLD, ("jsonld",)),
        (RdfFormat.RDFXML, ("rdfxml", "rdf/xml", "owl", "rdf")),
        (RdfFormat.NQUADS, ("nq", "n-quads")),
    )
    for alias in names
}


def export(
    source: Graph | Store,
    rdf_format: RdfFormat | str = RdfFormat.TURTLE,
    *,
    graph: str = "all",
    path: Path | str | None = None,
) -> bytes:
    """Serialize ``graph`` (``ontology``, ``facts``, ``inferred`` or ``all``) of ``source``.

    ``source`` is any store (or an rdflib dataset); every engine gives the same bytes. N-Quads
    keeps the named graphs (``graph="all"`` writes all three, each in its own graph). When
    ``path`` is given the text is streamed there atomically and then read back;
    :func:`export_file` writes without returning the bytes.

    :raises UsageError: unknown format or graph name.
    :raises ExportError: the file cannot be written.
    """
    if path is not None:
        export_file(source, rdf_format, path, graph=graph)
        return Path(path).read_bytes()
    return _join(_chunks(source, _format(rdf_format), graph))


def export_file(
    source: Graph | Store,
    rdf_format: RdfFormat | str,
    path: Path | str,
    *,
    graph: str = "all",
) -> int:
    """Stream ``graph`` of ``source`` to ``path`` (atomically) and return the bytes written.

    :raises UsageError: unknown format or graph name; nothing is written.
    :raises ExportError: the file cannot be written.
    """
    return write_chunks(path, _chunks(source, _format(rdf_format), graph))  # checks first


def serialize(graph: Graph, rdf_format: RdfFormat) -> bytes:
    """The bytes of ``graph`` in ``rdf_format``, identical for identical graphs."""
    if rdf_format is RdfFormat.TURTLE:
        return _join(turtle_chunks(rdflib_statements(graph)))
    if rdf_format is RdfFormat.NTRIPLES:
        return _join(ntriples_chunks(rdflib_statements(graph)))
    if rdf_format is RdfFormat.JSONLD:
        return _jsonld(_canonical(_as_written(rdflib_statements(graph))))
    if rdf_format is RdfFormat.RDFXML:
        return _rdfxml(_canonical(_as_written(rdflib_statements(graph))))
    raise UsageError(f"{rdf_format.value} needs a dataset: use serialize_dataset")


def serialize_dataset(source: Dataset | Store, names: list[str]) -> bytes:
    """N-Quads of the named graphs ``names``, each sorted, with canonical blank-node labels."""
    return _join(_nquads(as_store(source), names))


# --- helpers -------------------------------------------------------------------------------


def _format(rdf_format: RdfFormat | str) -> RdfFormat:
    return RdfFormat.from_name(rdf_format)


def _join(chunks: Iterable[str]) -> bytes:
    return "".join(chunks).encode("utf-8")


def _chunks(source: Graph | Store, fmt: RdfFormat, graph: str) -> Iterator[str]:
    """The text of ``graph`` of ``source`` in ``fmt``, in pieces."""
    check_graph(graph)
    store = as_store(source)
    if fmt is RdfFormat.NQUADS:
        return _nquads(store, list(GRAPH_NAMES) if graph == "all" else [graph])
    if fmt is RdfFormat.TURTLE:
        return turtle_chunks_of_lines(store.lines(graph))
    if fmt is RdfFormat.NTRIPLES:
        return ntriples_chunks(store.statements(graph))
    canonical = _canonical(_as_written(store.statements(graph)))
    return iter([(_jsonld if fmt is RdfFormat.JSONLD else _rdfxml)(canonical).decode("utf-8")])


def _as_written(statements: Iterable[Statement]) -> Graph:
    """An rdflib graph of ``statements``, read from their N-Triples: the terms are spelt as in
    the other formats whichever engine they come from (JSON-LD and RDF/XML are made by rdflib)."""
    return Graph().parse(data="".join(ntriples_chunks(statements)), format="nt")


def _nquads(store: Store, names: list[str]) -> Iterator[str]:
    for name in names:
        yield from ntriples_chunks(store.statements(name), graph=f"<{GRAPH_NAMES[name]}>")


def _canonical(graph: Graph) -> Graph:
    """A copy with stable blank-node labels (the graph itself when it has no blank nodes)."""
    has_bnodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    canonical = to_canonical_graph(graph) if has_bnodes else graph
    result = Graph()
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace, override=True, replace=True)
    for triple in canonical:
        result.add(triple)
    return result


def _sort_key(term: Node) -> tuple[int, str]:
    kind = 0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2
    return kind, term.n3()


def _jsonld(graph: Graph) -> bytes:
    used: set[str] = set()

    def curie(iri: str) -> str:
        short = compress_iri(iri)
        if short is None:
            return iri
        prefix = short.split(":", 1)[0]
        if prefix == "pubmed":  # the slash-suffixed PubMed form has no JSON-LD prefix
            return iri
        used.add(prefix)
        return short

    def ref(term: Node) -> str:
        return f"_:{term}" if isinstance(term, BNode) else curie(str(term))

    def value(term: Node) -> dict[str, str]:
        if isinstance(term, Literal):
            item = {"@value": str(term)}
            if term.language:
                item["@language"] = term.language
            elif term.datatype is not None:
                item["@type"] = curie(str(term.datatype))
            return item
        return {"@id": ref(term)}

    nodes: dict[Node, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        if p == RDF.type and not isinstance(o, Literal):
            nodes[s]["@type"].append(ref(o))
        else:
            nodes[s][curie(str(p))].append(value(o))
    documents = []
    for subject in sorted(nodes, key=_sort_key):
        node: dict[str, Any] = {"@id": ref(subject)}
        for key in sorted(nodes[subject]):
            values = nodes[subject][key]
            node[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
        documents.append(node)
    context: dict[str, Any] = {"@version": 1.1}
    for prefix in sorted(used):
        namespace = PREFIXES[prefix]
        # JSON-LD 1.1 uses a term as a prefix only if its IRI ends in a gen-delim or it says so
        context[prefix] = (
            namespace if namespace[-1] in "/#:?[]@" else {"@id": namespace, "@prefix": True}
        )
    document = {"@context": context, "@graph": documents}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")


def _split_predicate(iri: str) -> tuple[str, str]:
    for index in range(len(iri) - 1, -1, -1):
        if iri[index] in "/#:":
            local = iri[index + 1 :]
            if _NCNAME.match(local):
                return iri[: index + 1], local
            break
    raise ExportError(f"RDF/XML cannot write the property <{iri}> (no XML name for it)")


def _rdfxml(graph: Graph) -> bytes:
    prefix_of = {namespace: prefix for prefix, namespace in sorted(PREFIXES.items())}
    prefix_of[PREFIXES["rdf"]] = "rdf"
    declared: dict[str, str] = {PREFIXES["rdf"]: "rdf"}
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in graph:
        by_subject[s].append((p, o))

    def qname(iri: str) -> str:
        namespace, local = _split_predicate(iri)
        if namespace not in declared:
            prefix = prefix_of.get(namespace) or f"ns{len(declared)}"
            declared[namespace] = prefix
        return f"{declared[namespace]}:{local}"

    body: list[str] = []
    for subject in sorted(by_subject, key=_sort_key):
        about = (
            f"rdf:nodeID={quoteattr(str(subject))}"
            if isinstance(subject, BNode)
            else f"rdf:about={quoteattr(str(subject))}"
        )
        body.append(f"  <rdf:Description {about}>")
        for p, o in sorted(by_subject[subject], key=lambda po: (po[0].n3(), _sort_key(po[1]))):
            name = qname(str(p))
            if isinstance(o, URIRef):
                body.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>")
            elif isinstance(o, BNode):
                body.append(f"    <{name} rdf:nodeID={quoteattr(str(o))}/>")
            else:
                assert isinstance(o, Literal)
                attributes = ""
                if o.language:
                    attributes = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    attributes = f" rdf:datatype={quoteattr(str(o.datatype))}"
                body.append(f"    <{name}{attributes}>{escape(str(o))}</{name}>")
        body.append("  </rdf:Description>")
    namespaces = "".join(
        f"\n    xmlns:{prefix}={quoteattr(namespace)}"
        for namespace, prefix in sorted(declared.items(), key=lambda item: item[1])
    )
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{namespaces}>\n'
    return (head + "\n".join(body) + "\n</rdf:RDF>\n").encode("utf-8")
