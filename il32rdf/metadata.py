"""A machine-readable description of the release: VoID and DCAT in one graph.

The description names the dataset, its license and version, counts its triples (overall and per
named graph, each graph described as a ``void:Dataset`` subset under its own IRI), classes and
properties, lists example resources and the vocabularies its predicates and types come from,
and, when given, the SPARQL endpoint and the release files as DCAT distributions. It holds no
timestamp, so the same release gives the same description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import OWL, RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD
from rdflib.term import Node

from il32rdf.store import Store, as_store
from il32rdf.store.base import NEGATED_FLAG
from il32rdf.vocab import BASE, GRAPH_NAMES, ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES

__all__ = [
    "DATASET_IRI",
    "Distribution",
    "add_distributions",
    "add_triple_count",
    "describe_dataset",
]

DATASET_IRI = URIRef(BASE + "dataset")
_IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of the release."""

    file_name: str
    media_type: str
    byte_size: int
    graph: str


def describe_dataset(
    source: Store | Dataset,
    *,
    distributions: Sequence[Distribution] = (),
    sparql_endpoint: str | None = None,
    count_triples: bool = True,
) -> Graph:
    """The VoID/DCAT description of ``source`` (any store, or an rdflib Dataset), by SPARQL.

    ``count_triples=False`` leaves out the number of distinct triples, for a caller that counts
    them on the way (:func:`add_triple_count`: the release, which writes them all).
    """
    store = as_store(source)

    def integer(value: int) -> Literal:
        return Literal(value, datatype=XSD.integer)

    out = Graph()
    for prefix in ("dcat", "dcterms", "void", "xsd", "il32", "owl"):
        out.bind(prefix, {"dcat": str(DCAT), "void": str(VOID)}.get(prefix, PREFIXES.get(prefix)))
    d = DATASET_IRI
    out.add((d, RDF.type, VOID.Dataset))
    out.add((d, RDF.type, DCAT.Dataset))
    header = store.query(
        f"SELECT ?p ?v WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_IRI}> ?p ?v }} }}"
    ).rows
    values: dict[Node, list[Node]] = {}
    for prop, value in header:
        assert prop is not None and value is not None
        values.setdefault(prop, []).append(value)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        for value in values.get(prop, ()):
            out.add((d, prop, value))
    version = min(values.get(OWL.versionInfo, ()), key=str, default=None)
    if version is not None:
        out.add((d, OWL.versionInfo, Literal(str(version))))
    version_iri = min(values.get(OWL.versionIRI, ()), key=str, default=None)
    if version_iri is not None:
        out.add((d, OWL.versionIRI, version_iri))
    out.add((d, VOID.uriSpace, Literal(BASE)))
    counted = {
        VOID.classes: "SELECT DISTINCT ?c WHERE { ?x a ?c FILTER isIRI(?c) }",
        VOID.properties: "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
        VOID.distinctSubjects: "SELECT DISTINCT ?s WHERE { ?s ?p ?o }",
    }
    if count_triples:
        counted[VOID.triples] = _TRIPLES
    totals = store.query_many(  # the engine may count them at once
        [f"SELECT (COUNT(*) AS ?n) WHERE {{ {select} }}" for select in counted.values()]
    )
    for prop, total in zip(counted, totals, strict=True):
        out.add((d, prop, integer(int(str(total.rows[0][0])))))
    counts = store.counts()
    for name, iri in GRAPH_NAMES.items():  # the data's own named graphs are in the total
        n = counts[name]
        out.add((d, VOID.subset, iri))
        out.add((iri, RDF.type, VOID.Dataset))
        out.add((iri, DCTERMS.title, Literal(f"{name} graph")))
        out.add((iri, VOID.triples, integer(n)))
    for example in _examples(store):
        out.add((d, VOID.exampleResource, example))
    for namespace in _vocabularies(store):
        out.add((d, VOID.vocabulary, URIRef(namespace)))
    if sparql_endpoint is not None:
        out.add((d, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    add_distributions(out, distributions)
    return out


_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
"""What ``void:triples`` counts: the distinct statements of all the graphs."""


def add_triple_count(description: Graph, triples: int) -> None:
    """Say in ``description`` that the dataset has ``triples`` distinct statements (see
    :data:`_TRIPLES`), when :func:`describe_dataset` was told not to count them."""
    description.add((DATASET_IRI, VOID.triples, Literal(triples, datatype=XSD.integer)))


def add_distributions(description: Graph, distributions: Sequence[Distribution]) -> None:
    """Add the release files ``distributions`` to the dataset's ``description`` (so that the
    store's counts may be made while the files are written)."""
    d = DATASET_IRI
    for dist in distributions:
        node = URIRef(f"{BASE}dataset/{dist.file_name}")
        description.add((d, DCAT.distribution, node))
        description.add((d, VOID.dataDump, URIRef(dist.file_name, base=BASE + "dataset/")))
        description.add((node, RDF.type, DCAT.Distribution))
        description.add((node, DCTERMS.title, Literal(f"{dist.file_name} ({dist.graph})")))
        description.add((node, DCAT.mediaType, URIRef(_IANA + dist.media_type)))
        size = Literal(dist.byte_size, datatype=XSD.nonNegativeInteger)
        description.add((node, DCAT.byteSize, size))
        description.add((node, DCAT.downloadURL, URIRef(dist.file_name, base=BASE + "dataset/")))


def _examples(store: Store) -> list[URIRef]:
    """A few representative resources: the first claims, negated ones first, and their subjects."""
    claims: list[URIRef] = []
    for negated in ("", "NOT "):
        if len(claims) >= 3:  # enough negated ones
            break
        text = (
            "SELECT DISTINCT ?c WHERE { ?c a il32:Claim FILTER isIRI(?c) FILTER"
            f" {negated}EXISTS {{ ?c il32:negated ?flag {NEGATED_FLAG} }} }}"
            " ORDER BY STR(?c) LIMIT 3"
        )
        claims += [c for (c,) in store.query(text).rows if isinstance(c, URIRef)]
    claims = claims[:3]
    subjects = {min(store.objects(c, RDF.subject), key=str, default=None) for c in claims}
    return sorted([*claims, *(s for s in subjects if isinstance(s, URIRef))])


def _vocabularies(store: Store) -> list[str]:
    """The namespaces of the prefix map that the graph's predicates and types come from."""
    used = {str(p) for (p,) in store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }").rows}
    types = store.query("SELECT DISTINCT ?t WHERE { ?x a ?t FILTER isIRI(?t) }").rows
    used |= {str(t) for (t,) in types}
    namespaces = set()
    for prefix, namespace in PREFIXES.items():
        if prefix in {"rdf", "xsd"} or not namespace.endswith(("/", "#")):
            continue
        if any(term.startswith(namespace) for term in used):
            namespaces.add(namespace)
    return sorted(namespaces)
