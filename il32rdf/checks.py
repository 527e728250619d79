"""Cheap structural checks that every load must pass before anything is released.

They catch what a typo in Turtle produces and no parser notices: a project term that the
ontology does not declare (``il32:celltype`` for ``il32:cellType``), or a claim whose predicate is
not a property the ontology knows. The full data rules are the SHACL shapes (``validate``).
Findings are returned as values, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Dataset, URIRef

from il32rdf.dataset import FACTS_GRAPH, ONTOLOGY_GRAPH
from il32rdf.vocab import IL32

__all__ = ["Finding", "check"]

_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_BUILT_IN_PREDICATES = frozenset({RDFS.subClassOf, RDF.type})


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: the node it is about, and what is wrong with it."""

    focus: str
    message: str


def check(dataset: Dataset) -> list[Finding]:
    """Return the structural problems of ``dataset`` (empty when there are none), sorted."""
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    declared = set(ontology.subjects(RDF.type, None))
    project_namespace = str(IL32._NS)
    findings: set[Finding] = set()
    for graph in (ontology, facts):
        for triple in graph:
            for term in triple:
                if (
                    isinstance(term, URIRef)
                    and str(term).startswith(project_namespace)
                    and term not in declared
                ):
                    findings.add(
                        Finding(
                            str(term), "project term is used but the ontology does not declare it"
                        )
                    )
    properties = {p for kind in _PROPERTY_TYPES for p in ontology.subjects(RDF.type, kind)}
    for claim, predicate in facts.subject_objects(RDF.predicate):
        if predicate not in properties and predicate not in _BUILT_IN_PREDICATES:
            findings.add(
                Finding(
                    str(claim), f"claim predicate <{predicate}> is not a property of the ontology"
                )
            )
    return sorted(findings)
