"""Counts that describe a loaded knowledge graph, by SPARQL on any store.

>>> from il32rdf.store import open_store
>>> stats(open_store()).negated_claims
1
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from il32rdf.store import Store, as_store
from il32rdf.store.base import NEGATED_FLAG
from il32rdf.vocab import FACTS_GRAPH, ONTOLOGY_GRAPH, compress_iri

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


_CLAIMS = f"GRAPH <{FACTS_GRAPH}> {{ ?c a il32:Claim"
_PROPERTY_TYPES = "VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }"


def stats(source: Store | Graph) -> Stats:
    """Count what ``source`` holds (any store, or an rdflib Dataset)."""
    store = as_store(source)

    def count(select: str) -> int:
        (value,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {select} }}").rows[0]
        return int(str(value))

    by_predicate: dict[str, int] = {}
    rows = store.query(
        f"SELECT ?p (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {_CLAIMS} ; rdf:predicate ?p }} "
        "FILTER isIRI(?p) } GROUP BY ?p"
    ).rows
    for predicate, n in rows:
        name = compress_iri(str(predicate)) or str(predicate)
        by_predicate[name] = by_predicate.get(name, 0) + int(str(n))
    ontology = f"GRAPH <{ONTOLOGY_GRAPH}>"
    return Stats(
        triples=store.counts(),
        classes=count(
            f"SELECT DISTINCT ?c WHERE {{ {ontology} {{ ?c a owl:Class }} FILTER isIRI(?c) }}"
        ),
        properties=count(
            f"SELECT DISTINCT ?p WHERE {{ {_PROPERTY_TYPES} {ontology} {{ ?p a ?t }} }}"
        ),
        claims=count(f"SELECT DISTINCT ?c WHERE {{ {_CLAIMS} }} }}"),
        negated_claims=count(
            f"SELECT DISTINCT ?c WHERE {{ {_CLAIMS} ; il32:negated ?flag {NEGATED_FLAG} }} }}"
        ),
        sources=count(f"SELECT DISTINCT ?s WHERE {{ {_CLAIMS} ; dcterms:source ?s }} }}"),
        claims_by_predicate=dict(sorted(by_predicate.items())),
    )
