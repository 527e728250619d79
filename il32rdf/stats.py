"""Counts that describe a loaded knowledge graph."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import OWL, RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from il32rdf.dataset import FACTS_GRAPH, GRAPH_NAMES, ONTOLOGY_GRAPH
from il32rdf.engine import OxigraphStore, run
from il32rdf.vocab import IL32, compress_iri

__all__ = ["Stats", "stats"]


@dataclass(frozen=True)
class Stats:
    """Triple counts per graph, terms declared, and claims by polarity and predicate."""

    triples: dict[str, int]
    classes: int
    properties: int
    claims: int
    negated_claims: int
    sources: int
    claims_by_predicate: dict[str, int] = field(default_factory=dict)

    @property
    def total_triples(self) -> int:
        """All triples, counted once per graph they are in."""
        return sum(self.triples.values())


def stats(dataset: Dataset | OxigraphStore) -> Stats:
    """Count what ``dataset`` holds (an rdflib Dataset, or an Oxigraph store by SPARQL)."""
    if isinstance(dataset, OxigraphStore):
        return _store_stats(dataset)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    claims = set(facts.subjects(RDF.type, IL32.Claim))
    negated = {c for c in claims if (c, IL32.negated, Literal(True)) in facts}
    by_predicate: Counter[str] = Counter()
    for claim in claims:
        for predicate in set(facts.objects(claim, RDF.predicate)):
            if isinstance(predicate, URIRef):
                by_predicate[compress_iri(str(predicate)) or str(predicate)] += 1
    property_types = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return Stats(
        triples={name: len(dataset.graph(iri)) for name, iri in GRAPH_NAMES.items()},
        classes=sum(1 for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)),
        properties=len({p for t in property_types for p in ontology.subjects(RDF.type, t)}),
        claims=len(claims),
        negated_claims=len(negated),
        sources=len({s for c in claims for s in facts.objects(c, DCTERMS.source)}),
        claims_by_predicate=dict(sorted(by_predicate.items())),
    )


def _store_stats(store: OxigraphStore) -> Stats:
    def count(where: str) -> int:
        (value,) = run(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", {}).rows[0]
        return int(str(value))

    ontology, facts = f"<{ONTOLOGY_GRAPH}>", f"<{FACTS_GRAPH}>"
    claims = f"GRAPH {facts} {{ ?c a il32:Claim"
    by_predicate: Counter[str] = Counter()
    rows = run(
        store,
        f"SELECT ?p (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {claims} ; rdf:predicate ?p }} "
        "FILTER isIRI(?p) } GROUP BY ?p",
        {},
    ).rows
    for predicate, n in rows:
        by_predicate[compress_iri(str(predicate)) or str(predicate)] += int(str(n))
    properties = "VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }"
    return Stats(
        triples={name: count(f"GRAPH <{iri}> {{ ?s ?p ?o }}") for name, iri in GRAPH_NAMES.items()},
        classes=count(
            f"SELECT DISTINCT ?c WHERE {{ GRAPH {ontology} {{ ?c a owl:Class }} FILTER isIRI(?c) }}"
        ),
        properties=count(
            f"SELECT DISTINCT ?p WHERE {{ {properties} GRAPH {ontology} {{ ?p a ?t }} }}"
        ),
        claims=count(f"SELECT DISTINCT ?c WHERE {{ {claims} }} }}"),
        negated_claims=count(f"SELECT DISTINCT ?c WHERE {{ {claims} ; il32:negated true }} }}"),
        sources=count(f"SELECT DISTINCT ?s WHERE {{ {claims} ; dcterms:source ?s }} }}"),
        claims_by_predicate=dict(sorted(by_predicate.items())),
    )
