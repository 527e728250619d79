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

from il32rdf.dataset import GRAPH_NAMES, ONTOLOGY_GRAPH, graph_by_name
from il32rdf.vocab import BASE, IL32, ONTOLOGY_IRI, PREFIXES

__all__ = ["DATASET_IRI", "Distribution", "describe_dataset"]

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
    dataset: Dataset,
    *,
    distributions: Sequence[Distribution] = (),
    sparql_endpoint: str | None = None,
) -> Graph:
    """The VoID/DCAT description of ``dataset`` as an rdflib Graph."""
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    union = graph_by_name(dataset, "all")
    out = Graph()
    for prefix in ("dcat", "dcterms", "void", "xsd", "il32", "owl"):
        out.bind(prefix, {"dcat": str(DCAT), "void": str(VOID)}.get(prefix, PREFIXES.get(prefix)))
    d = DATASET_IRI
    out.add((d, RDF.type, VOID.Dataset))
    out.add((d, RDF.type, DCAT.Dataset))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        for value in ontology.objects(ONTOLOGY_IRI, prop):
            out.add((d, prop, value))
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    if version is not None:
        out.add((d, OWL.versionInfo, Literal(str(version))))
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    if version_iri is not None:
        out.add((d, OWL.versionIRI, version_iri))
    out.add((d, VOID.uriSpace, Literal(BASE)))
    out.add((d, VOID.triples, Literal(len(union), datatype=XSD.integer)))
    classes = {c for c in union.objects(None, RDF.type) if isinstance(c, URIRef)}
    out.add((d, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    out.add((d, VOID.properties, Literal(len(set(union.predicates())), datatype=XSD.integer)))
    out.add((d, VOID.distinctSubjects, Literal(len(set(union.subjects())), datatype=XSD.integer)))
    for name, iri in GRAPH_NAMES.items():
        out.add((d, VOID.subset, iri))
        out.add((iri, RDF.type, VOID.Dataset))
        out.add((iri, DCTERMS.title, Literal(f"{name} graph")))
        out.add((iri, VOID.triples, Literal(len(dataset.graph(iri)), datatype=XSD.integer)))
    for example in _examples(union):
        out.add((d, VOID.exampleResource, example))
    for namespace in _vocabularies(union):
        out.add((d, VOID.vocabulary, URIRef(namespace)))
    if sparql_endpoint is not None:
        out.add((d, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    for dist in distributions:
        node = URIRef(f"{BASE}dataset/{dist.file_name}")
        out.add((d, DCAT.distribution, node))
        out.add((d, VOID.dataDump, URIRef(dist.file_name, base=BASE + "dataset/")))
        out.add((node, RDF.type, DCAT.Distribution))
        out.add((node, DCTERMS.title, Literal(f"{dist.file_name} ({dist.graph})")))
        out.add((node, DCAT.mediaType, URIRef(_IANA + dist.media_type)))
        out.add((node, DCAT.byteSize, Literal(dist.byte_size, datatype=XSD.nonNegativeInteger)))
        out.add((node, DCAT.downloadURL, URIRef(dist.file_name, base=BASE + "dataset/")))
    return out


def _examples(graph: Graph) -> list[URIRef]:
    """A few representative resources: the first claims, negated ones first, and their subjects."""
    claims = sorted(
        (c for c in graph.subjects(RDF.type, IL32.Claim) if isinstance(c, URIRef)),
        key=lambda c: (graph.value(c, IL32.negated) != Literal(True), str(c)),
    )[:3]
    subjects = {graph.value(c, RDF.subject) for c in claims}
    return sorted([*claims, *(s for s in subjects if isinstance(s, URIRef))])


def _vocabularies(graph: Graph) -> list[str]:
    """The namespaces of the prefix map that the graph's predicates and types come from."""
    used = {str(p) for p in graph.predicates()}
    used |= {str(t) for t in graph.objects(None, RDF.type) if isinstance(t, URIRef)}
    namespaces = set()
    for prefix, namespace in PREFIXES.items():
        if prefix in {"rdf", "xsd"} or not namespace.endswith(("/", "#")):
            continue
        if any(term.startswith(namespace) for term in used):
            namespaces.add(namespace)
    return sorted(namespaces)
