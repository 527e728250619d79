"""Counts that describe a loaded knowledge graph."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import OWL, RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from il32rdf.dataset import FACTS_GRAPH, GRAPH_NAMES, ONTOLOGY_GRAPH
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


def stats(dataset: Dataset) -> Stats:
    """Count what ``dataset`` holds."""
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    claims = set(facts.subjects(RDF.type, IL32.Claim))
    negated = {c for c in claims if facts.value(c, IL32.negated) == Literal(True)}
    by_predicate: Counter[str] = Counter()
    for claim in claims:
        predicate = facts.value(claim, RDF.predicate)
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
