"""Cheap structural checks that every load must pass before anything is released.

They catch what a typo in Turtle produces and no parser notices: a project term that the
ontology does not declare (``il32:celltype`` for ``il32:cellType``), or a claim whose predicate is
not a property the ontology knows. The full data rules are the SHACL shapes (``validate``).
Findings are returned as values, never raised. On any store: a scan of the graphs' lines for the
project's terms, and one SPARQL query for the claims' predicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from il32rdf.store import Store, as_store
from il32rdf.vocab import FACTS_GRAPH, IL32, ONTOLOGY_GRAPH

__all__ = ["Finding", "check"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: the node it is about, and what is wrong with it."""

    focus: str
    message: str


_DECLARED = f"SELECT DISTINCT ?s WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s a ?kind }} }}"
_NOT_A_PROPERTY = f"""SELECT DISTINCT ?claim ?predicate WHERE {{
  GRAPH <{FACTS_GRAPH}> {{ ?claim rdf:predicate ?predicate }}
  FILTER (?predicate NOT IN (rdfs:subClassOf, rdf:type))
  FILTER NOT EXISTS {{
    VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
    GRAPH <{ONTOLOGY_GRAPH}> {{ ?predicate a ?kind }}
  }}
}}"""


def check(source: Store | Graph) -> list[Finding]:
    """Return the structural problems of ``source`` (empty when there are none), sorted."""
    store = as_store(source)
    declared = {s for (s,) in store.rows(_DECLARED)}
    project = f"<{IL32._NS}"
    used: set[str] = set()
    for graph in ("ontology", "facts"):  # a scan of the lines: faster than SPARQL on any engine
        for line in store.lines(graph):
            if project in line:
                used.update(t for t in line.split(" ", 2) if t.startswith(project))
    findings = {
        Finding(term[1:-1], "project term is used but the ontology does not declare it")
        for term in used - declared
    }
    findings |= {
        Finding(str(claim), f"claim predicate <{predicate}> is not a property of the ontology")
        for claim, predicate in store.query(_NOT_A_PROPERTY).rows
    }
    return sorted(findings)
