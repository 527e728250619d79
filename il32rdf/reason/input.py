"""What the reasoner sees: the ontology and facts, with the claim reification translated into
OWL axioms (see :mod:`il32rdf.reason`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, URIRef
from rdflib.term import Node

from il32rdf.store import as_store
from il32rdf.store.base import well_formed_claims
from il32rdf.vocab import FACTS_GRAPH, IL32, ONTOLOGY_GRAPH

_HELPER: Final = "urn:il32rdf:relation-graph/"
_WITNESS: Final = "urn:il32rdf:witness/"
_PROBE: Final = URIRef("urn:il32rdf:probe")
_OWL_NS: Final = str(OWL)
_DECLARATIONS: Final = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        OWL.Ontology,
        RDFS.Datatype,
    }
)
_CHARACTERISTICS: Final = {
    OWL.FunctionalProperty: "Functional",
    OWL.InverseFunctionalProperty: "InverseFunctional",
    OWL.TransitiveProperty: "Transitive",
    OWL.SymmetricProperty: "Symmetric",
    OWL.AsymmetricProperty: "Asymmetric",
    OWL.ReflexiveProperty: "Reflexive",
    OWL.IrreflexiveProperty: "Irreflexive",
}
_BUILTIN_ANNOTATIONS: Final = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.versionIRI,
        OWL.imports,
    }
)
_RESERVED: Final = (str(RDF), str(RDFS), str(OWL), str(XSD))
_CLAIM_REIFICATION: Final = (RDF.subject, RDF.predicate, RDF.object)
_POSITIVE_CLAIMS: Final = (
    "SELECT ?claim ?s ?p ?o WHERE {\n"
    f"  {well_formed_claims(in_facts=True, positive_only=True)}\n}} ORDER BY STR(?claim)"
)


# --- the reasoner input ------------------------------------------------------------------------


@dataclass
class _Input:
    graph: Graph
    classes: frozenset[URIRef]
    origin: dict[tuple[Node, Node, Node], Node]  # translated triple -> the claim it came from
    labels: Mapping[Node, str]


def reasoner_input(dataset: Dataset) -> Graph:
    """The ontology and facts as the reasoner sees them (claims translated into OWL axioms)."""
    return _prepare(dataset).graph


def _prepare(dataset: Dataset) -> _Input:
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    both = Graph()
    for source in (ontology, facts):
        for triple in source:
            both.add(triple)
    classes = _named_classes(both)
    object_properties = frozenset(
        p for p in both.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)
    )
    claims = set(facts.subjects(RDF.type, IL32.Claim))
    graph = Graph()
    origin: dict[tuple[Node, Node, Node], Node] = {}
    for s, p, o in both:
        if s in claims and (p in _CLAIM_REIFICATION or (p in object_properties and o in classes)):
            continue
        if p in object_properties and isinstance(s, URIRef) and s not in classes and o in classes:
            _add_some(graph, s, p, o)
            continue
        graph.add((s, p, o))
    for claim, subject, predicate, value in as_store(dataset).query(_POSITIVE_CLAIMS).rows:
        assert isinstance(subject, URIRef) and isinstance(predicate, URIRef)
        assert claim is not None and value is not None
        edge: tuple[Node, Node, Node] = (subject, predicate, value)
        if predicate == RDFS.subClassOf and subject in classes and value in classes:
            graph.add(edge)
            origin[edge] = claim
        elif predicate in object_properties and subject not in classes:
            if value in classes:
                origin[(subject, RDF.type, _add_some(graph, subject, predicate, value))] = claim
            elif isinstance(value, URIRef):
                graph.add(edge)
                origin[edge] = claim
    pairs = sorted(both.subject_objects(RDFS.label), key=lambda so: (str(so[0]), str(so[1])))
    labels = {s: str(o) for s, o in reversed(pairs)}  # the first label in sort order wins
    return _Input(graph, classes, origin, labels)


def _named_classes(graph: Graph) -> frozenset[URIRef]:
    found = {c for kind in (OWL.Class, RDFS.Class) for c in graph.subjects(RDF.type, kind)}
    return frozenset(c for c in found if isinstance(c, URIRef) and not str(c).startswith(_OWL_NS))


def _restriction_id(p: Node, o: Node) -> BNode:
    digest = hashlib.sha1(f"{p} {o}".encode()).hexdigest()[:16]
    return BNode(f"some{digest}")


def _add_some(graph: Graph, s: Node, p: Node, o: Node) -> BNode:
    """Add ``s rdf:type (p some o)``; the same restriction node for the same (p, o)."""
    node = _restriction_id(p, o)
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, p))
    graph.add((node, OWL.someValuesFrom, o))
    graph.add((s, RDF.type, node))
    return node


_Unit = list[tuple[Node, Node, Node]]
